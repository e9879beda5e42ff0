import { type ImportLimits, zipBomb } from './refusals.ts';
import { hasText, type SharedStrings } from './sheet.ts';
import { XmlTokenizer } from './xml.ts';
import { entryChunks, type ZipEntry } from './zip.ts';

type Limits = Pick<ImportLimits, 'maxCellChars' | 'maxSharedStringsBytes'>;

/** Characters per block of the strings table: one flat string each, sliced when a cell asks. */
const BLOCK = 1024 * 1024;

/**
 * The kept strings, packed: a string per text costs its header and slot several times over (and
 * a slice of the parsed XML keeps that whole chunk alive); a block of them with offsets costs a
 * character a character.
 */
class StringBlocks {
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  private where = new Uint32Array(2048);

  add(index: number, text: string): void {
    if (this.where.length < (index + 1) * 2) {
      const grown = new Uint32Array(this.where.length * 2);
      grown.set(this.where);
      this.where = grown;
    }
    this.where[index * 2] = this.blocks.length;
    this.where[index * 2 + 1] = this.pendingLength;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= BLOCK) this.flush();
  }

  flush(): void {
    this.blocks.push(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
  }

  text(index: number, length: number): string {
    const at = this.where[index * 2 + 1]!;
    return this.blocks[this.where[index * 2]!]!.slice(at, at + length);
  }
}

/** Loads them; `keep: false` (the upload check) keeps only their lengths, never their text. */
export async function loadSharedStrings(
  buf: Buffer,
  entry: ZipEntry,
  limits: Limits,
  keep: boolean,
): Promise<SharedStrings> {
  if (entry.size > limits.maxSharedStringsBytes) throw zipBomb(entry.name, limits.maxSharedStringsBytes);
  const cap = limits.maxCellChars;
  const texts = new StringBlocks();
  // A length past the cap is kept as cap + 1: two bytes a string, for Excel's cap.
  const Lengths = cap < 0xffff ? Uint16Array : Uint32Array;
  let lengths: Uint16Array | Uint32Array = new Lengths(1024);
  let count = 0;
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = '';
  let length = 0;
  let filled = false;
  const endItem = () => {
    inItem = false;
    if (count === lengths.length) {
      const grown = new Lengths(lengths.length * 2);
      grown.set(lengths);
      lengths = grown;
    }
    if (keep && filled && length <= cap) texts.add(count, text);
    lengths[count++] = length > cap ? cap + 1 : filled ? length : 0;
  };
  const tokens = new XmlTokenizer({
    open(name, _raw, selfClosing) {
      if (name === 'si') {
        inItem = true;
        text = '';
        length = 0;
        filled = false;
        // <si/>: an empty string, which still takes its index.
        if (selfClosing) endItem();
      } else if (selfClosing) return;
      else if (name === 'rPh') phonetic++;
      // The phonetic guide (rPh) is not part of the text Excel shows.
      else if (name === 't' && inItem && phonetic === 0) inText = true;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic = Math.max(0, phonetic - 1);
      else if (name === 'si' && inItem) endItem();
    },
    text(chunk) {
      if (!inText) return;
      length += chunk.length;
      if (length > cap) return;
      if (!filled && hasText(chunk)) filled = true;
      if (keep) text += chunk;
    },
  });
  for await (const chunk of entryChunks(buf, entry)) tokens.push(chunk);
  tokens.end();
  texts.flush();
  const lengthOf = (i: number) => lengths[i]!;
  return {
    count,
    length: lengthOf,
    // Blank and too-long strings were never kept (a cell that uses one too long is refused).
    text: (i) => (keep && lengthOf(i) > 0 && lengthOf(i) <= cap ? texts.text(i, lengthOf(i)) : ''),
  };
}
