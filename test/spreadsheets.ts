import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { call, type Session } from './app.ts';

/** Builders of the files people upload: workbooks, CSV in each encoding, and broken or hostile ones. */

export async function workbook(rows: unknown[][], options: { dateColumns?: number[] } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('客户');
  for (const row of rows) sheet.addRow(row);
  for (const column of options.dateColumns ?? []) sheet.getColumn(column).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await book.xlsx.writeBuffer());
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
export const csvText = (rows: unknown[][]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

let gbkTable: Map<string, number[]> | undefined;
/** GBK bytes, from the decoder's own table (Node ships no GBK encoder). */
export function gbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const char = decoder.decode(Uint8Array.of(lead, trail));
        if (char.length === 1 && char !== '\ufffd' && !gbkTable.has(char)) gbkTable.set(char, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(char);
      if (!pair) throw new Error(`no GBK for ${char}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/** A zip of the given entries, deflated (or stored), with a correct directory. */
export function zip(entries: { name: string; data: Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.store ? entry.data : deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(entry.store ? 0 : 8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(header, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xmlPart = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
const relsNs = 'http://schemas.openxmlformats.org/package/2006/relationships';
const docRel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The parts of a workbook, as Excel lays them out: the first sheet named by workbook.xml and found
 * through its relationships. `sheets` are [target under xl/, its XML]; the first is the first tab.
 */
export function workbookParts(
  sheets: [string, string][],
  sharedStrings?: string | Buffer,
): { name: string; data: Buffer }[] {
  const rels = sheets.map(
    ([target], i) => `<Relationship Id="rId${i + 1}" Type="${docRel}/worksheet" Target="${target}"/>`,
  );
  if (sharedStrings !== undefined) {
    rels.push(`<Relationship Id="rIdS" Type="${docRel}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  return [
    { name: '[Content_Types].xml', data: xmlPart('<Types/>') },
    {
      name: '_rels/.rels',
      data: xmlPart(
        `<Relationships xmlns="${relsNs}"><Relationship Id="rId1" Type="${docRel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: xmlPart(
        `<workbook xmlns:r="${docRel}"><sheets>${sheets.map((_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xmlPart(`<Relationships xmlns="${relsNs}">${rels.join('')}</Relationships>`),
    },
    ...(sharedStrings === undefined
      ? []
      : [{ name: 'xl/sharedStrings.xml', data: Buffer.from(sharedStrings) }]),
    ...sheets.map(([target, xml]) => ({
      name: target.startsWith('/') ? target.slice(1) : `xl/${target}`,
      data: xmlPart(xml),
    })),
  ];
}

/** A sheet's XML: numbers as numbers, text inline (no shared strings needed). */
export function sheetXml(rows: unknown[][]): string {
  const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const cells = (row: unknown[], r: number) =>
    row
      .map((value, c) => {
        const ref = `${String.fromCharCode(65 + c)}${r}`;
        if (value === null || value === undefined) return '';
        return typeof value === 'number'
          ? `<c r="${ref}"><v>${value}</v></c>`
          : `<c r="${ref}" t="inlineStr"><is><t>${escaped(String(value))}</t></is></c>`;
      })
      .join('');
  return `<worksheet><sheetData>${rows.map((row, i) => `<row r="${i + 1}">${cells(row, i + 1)}</row>`).join('')}</sheetData></worksheet>`;
}

/** A small workbook whose shared strings expand to `bytes` (a zip bomb). */
export function zipBomb(bytes: number): Buffer {
  const filler = Buffer.alloc(bytes, 0x61);
  return zip(
    workbookParts(
      [['worksheets/sheet1.xml', '<worksheet><sheetData/></worksheet>']],
      Buffer.concat([xmlPart('<sst><si><t>'), filler, Buffer.from('</t></si></sst>')]),
    ),
  );
}

/** The start of an OLE compound file, as Excel writes an encrypted workbook (or an old .xls). */
export function compoundFile(encrypted: boolean): Buffer {
  const head = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  const body = Buffer.alloc(4096);
  if (encrypted) Buffer.from('EncryptedPackage', 'utf16le').copy(body, 1024);
  else Buffer.from('Workbook', 'utf16le').copy(body, 1024);
  return Buffer.concat([head, body]);
}

/** A multipart/form-data body as a browser sends it. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; data: Buffer; field?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----banyan${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Uploads `file` to be imported straight into the pool (no preview), as `session` through the API. */
export function uploadToPool(
  app: FastifyInstance,
  session: { cookie: string; csrfToken: string },
  file: { name: string; data: Buffer },
) {
  const { payload, headers } = multipart({ mode: 'commit', assign: 'pool' }, file);
  return app.inject({
    method: 'POST',
    url: '/api/customers/import',
    payload,
    headers: { ...headers, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
  });
}

/**
 * The import's answer once it is done or failed, asked every 50 ms; `tries` is sized for what the
 * file imports on a busy machine.
 */
export async function importEnded(app: FastifyInstance, session: Session, importId: number, tries: number) {
  for (let i = 0; i < tries; i++) {
    const body = (await call(app, session, 'GET', `/api/imports/${importId}`)).json();
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${importId} did not finish`);
}

/** The rows of a workbook's first sheet, as plain values. */
export async function readWorkbook(data: Buffer): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as never);
  const rows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
