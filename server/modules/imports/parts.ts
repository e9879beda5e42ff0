import path from 'node:path/posix';
import { notSpreadsheet, zipBomb } from './refusals.ts';
import { attributes, XmlTokenizer } from './xml.ts';
import { entryText, partKey, readZip, type ZipEntry } from './zip.ts';

/**
 * Which parts of a workbook hold the customers: the first worksheet, as Excel shows it first —
 * named by `xl/workbook.xml` and found through its relationships — and the shared strings the
 * workbook names. Never a part picked by its file name: the check and the import both ask here.
 */
export type WorkbookParts = { sheet: ZipEntry; sharedStrings: ZipEntry | null };

/** Bigger than the workbook.xml and relationships of any real workbook. */
const SMALL_PART = 16 * 1024 * 1024;

type Relationship = { id: string; type: string; target: string; external: boolean };

function elements(xml: string, wanted: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const tokens = new XmlTokenizer({
    open: (name, raw) => {
      if (name === wanted) found.push(attributes(raw));
    },
    close: () => {},
    text: () => {},
  });
  tokens.push(Buffer.from(xml));
  tokens.end();
  return found;
}

async function relationships(buf: Buffer, entry: ZipEntry): Promise<Relationship[]> {
  const xml = await entryText(buf, entry, SMALL_PART, () => zipBomb(entry.name, SMALL_PART));
  return elements(xml, 'Relationship').map((a) => ({
    id: a.Id ?? '',
    type: a.Type ?? '',
    target: a.Target ?? '',
    external: a.TargetMode === 'External',
  }));
}

/** A relationship's target as a part name: relative to the part's folder, or from the root. */
function resolve(from: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // Left as written: then it names no part, and is refused as such.
  }
  const joined = decoded.startsWith('/') ? decoded : path.join(path.dirname(from), decoded);
  return path.normalize(joined).replace(/^\/+/, '');
}

const relsOf = (part: string) => path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);

export async function workbookParts(buf: Buffer): Promise<WorkbookParts> {
  const entries = readZip(buf);
  const byKey = new Map(entries.map((e) => [partKey(e.name), e]));
  const find = (name: string) => byKey.get(partKey(name));

  const rootRels = find('_rels/.rels');
  const office = rootRels
    ? (await relationships(buf, rootRels)).find((r) => !r.external && r.type.endsWith('/officeDocument'))
    : undefined;
  const bookName = office ? resolve('/', office.target) : 'xl/workbook.xml';
  const book = find(bookName);
  if (!book) {
    if (find('word/document.xml')) throw notSpreadsheet('word');
    if (find('ppt/presentation.xml')) throw notSpreadsheet('powerpoint');
    throw notSpreadsheet('zip');
  }
  // Some writers separate folders with backslashes; a part's name is read with slashes.
  const bookPart = book.name.replace(/\\/g, '/');
  const bookRels = find(relsOf(bookPart));
  if (!bookRels) throw notSpreadsheet('no_sheet');
  const rels = (await relationships(buf, bookRels)).filter((r) => !r.external);
  const sheets = elements(
    await entryText(buf, book, SMALL_PART, () => zipBomb(book.name, SMALL_PART)),
    'sheet',
  );
  // The first sheet that is a worksheet (not a chart sheet): the template's customers sheet.
  let sheet: ZipEntry | undefined;
  for (const attrs of sheets) {
    const id = Object.entries(attrs).find(([name]) => name.endsWith(':id'))?.[1];
    const rel = rels.find((r) => r.id === id);
    if (!rel?.type.endsWith('/worksheet')) continue;
    sheet = find(resolve(bookPart, rel.target));
    if (!sheet) throw notSpreadsheet('no_sheet');
    break;
  }
  if (!sheet) throw notSpreadsheet('no_sheet');
  const strings = rels.find((r) => r.type.endsWith('/sharedStrings'));
  const sharedStrings = strings ? find(resolve(bookPart, strings.target)) : undefined;
  if (strings && !sharedStrings) throw notSpreadsheet('damaged');
  if (sharedStrings === sheet) throw notSpreadsheet('damaged');
  return { sheet, sharedStrings: sharedStrings ?? null };
}
