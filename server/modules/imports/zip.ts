import { crc32, createInflateRaw } from 'node:zlib';
import type { HttpError } from '../../http/errors.ts';
import { entryMismatch, entryRepeated, notSpreadsheet } from './refusals.ts';

/**
 * A workbook's zip, read one way only: through its central directory, each entry checked against
 * its local header, and the local entries walked in file order to find nothing the directory does
 * not list. A reader that streams local headers and one that reads the directory then see the
 * same parts — and a file on which they could differ is refused, naming the part.
 */
export type ZipEntry = {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where its local header starts, and where its data does. */
  offset: number;
  dataStart: number;
};

const END = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
/** A size or offset that says "see the zip64 record": no workbook of ours is that large. */
const ZIP64 = 0xffffffff;

/** Part names compare as OPC compares them: case-insensitively, with either slash. */
export const partKey = (name: string) => name.replace(/\\/g, '/').replace(/^\//, '').toLowerCase();

function endRecord(buf: Buffer): number {
  // The end record is the last thing in the file but its comment, which says how long it is.
  for (let at = buf.length - 22; at >= Math.max(0, buf.length - 65_557); at--) {
    if (buf.readUInt32LE(at) === END && at + 22 + buf.readUInt16LE(at + 20) === buf.length) return at;
  }
  throw notSpreadsheet('damaged');
}

/** Reads and checks the directory; throws the 400 that names what is wrong. */
export function readZip(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) throw notSpreadsheet('damaged');
  const end = endRecord(buf);
  const count = buf.readUInt16LE(end + 10);
  const directorySize = buf.readUInt32LE(end + 12);
  const directoryStart = buf.readUInt32LE(end + 16);
  if (count === 0xffff || directoryStart === ZIP64) throw notSpreadsheet('compression');
  if (
    buf.readUInt16LE(end + 4) !== 0 ||
    buf.readUInt16LE(end + 6) !== 0 ||
    buf.readUInt16LE(end + 8) !== count ||
    directoryStart + directorySize !== end
  ) {
    throw notSpreadsheet('damaged');
  }
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || buf.readUInt32LE(at) !== CENTRAL) throw notSpreadsheet('damaged');
    const nameLength = buf.readUInt16LE(at + 28);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd > end) throw notSpreadsheet('damaged');
    const name = buf.toString('utf8', at + 46, nameEnd);
    const entry: ZipEntry = {
      name,
      flags: buf.readUInt16LE(at + 8),
      method: buf.readUInt16LE(at + 10),
      crc: buf.readUInt32LE(at + 16),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      offset: buf.readUInt32LE(at + 42),
      dataStart: 0,
    };
    if (entry.size === ZIP64 || entry.compressedSize === ZIP64 || entry.offset === ZIP64) {
      throw notSpreadsheet('compression');
    }
    const key = partKey(name);
    if (seen.has(key)) throw entryRepeated(name);
    seen.add(key);
    checkLocalHeader(buf, entry, buf.subarray(at + 46, nameEnd), directoryStart);
    entries.push(entry);
    at = nameEnd + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  if (at !== end) throw notSpreadsheet('damaged');
  checkLayout(buf, entries, directoryStart);
  return entries;
}

/** The local header must say what the directory says: the same name, method, sizes and checksum. */
function checkLocalHeader(buf: Buffer, entry: ZipEntry, rawName: Buffer, directoryStart: number): void {
  const at = entry.offset;
  if (at + 30 > directoryStart || buf.readUInt32LE(at) !== LOCAL) throw entryMismatch(entry.name);
  const nameLength = buf.readUInt16LE(at + 26);
  const start = at + 30 + nameLength + buf.readUInt16LE(at + 28);
  const localName = buf.subarray(at + 30, at + 30 + nameLength);
  if (!localName.equals(rawName) || buf.readUInt16LE(at + 8) !== entry.method)
    throw entryMismatch(entry.name);
  // With bit 3 the sizes follow the data (a streaming writer's data descriptor); zero until then.
  const deferred = (buf.readUInt16LE(at + 6) & 8) !== 0;
  const agrees = (offset: number, value: number) => {
    const local = buf.readUInt32LE(at + offset);
    return local === value || (deferred && local === 0);
  };
  if (!agrees(14, entry.crc) || !agrees(18, entry.compressedSize) || !agrees(22, entry.size)) {
    throw entryMismatch(entry.name);
  }
  if (start + entry.compressedSize > directoryStart) throw entryMismatch(entry.name);
  entry.dataStart = start;
  entry.flags = (entry.flags & ~8) | (deferred ? 8 : 0);
}

/** Where an entry's bytes end, its data descriptor included; the descriptor must agree too. */
function entryEnd(buf: Buffer, entry: ZipEntry, directoryStart: number): number {
  const dataEnd = entry.dataStart + entry.compressedSize;
  if ((entry.flags & 8) === 0) return dataEnd;
  const signed = dataEnd + 4 <= directoryStart && buf.readUInt32LE(dataEnd) === DESCRIPTOR;
  const at = signed ? dataEnd + 4 : dataEnd;
  if (
    at + 12 > directoryStart ||
    buf.readUInt32LE(at) !== entry.crc ||
    buf.readUInt32LE(at + 4) !== entry.compressedSize ||
    buf.readUInt32LE(at + 8) !== entry.size
  ) {
    throw entryMismatch(entry.name);
  }
  return at + 12;
}

/**
 * The local entries, in file order, must be exactly the directory's: each where the one before
 * ends, the last where the directory starts. A gap is a local entry the directory does not list
 * (what a streaming reader would read and a directory reader would not), an overlap two names for
 * the same bytes.
 */
function checkLayout(buf: Buffer, entries: ZipEntry[], directoryStart: number): void {
  const inOrder = [...entries].sort((a, b) => a.offset - b.offset);
  let expected = 0;
  for (const entry of inOrder) {
    if (entry.offset !== expected)
      throw entryMismatch(entry.offset > expected ? hidden(buf, expected) : entry.name);
    expected = entryEnd(buf, entry, directoryStart);
  }
  if (expected !== directoryStart) throw entryMismatch(hidden(buf, expected));
}

/** What a stray local header in a gap calls itself, to name it. */
function hidden(buf: Buffer, at: number): string {
  if (at + 30 <= buf.length && buf.readUInt32LE(at) === LOCAL) {
    const length = buf.readUInt16LE(at + 26);
    return buf.toString('utf8', at + 30, Math.min(buf.length, at + 30 + length));
  }
  return `(bytes at ${at})`;
}

const CHUNK = 64 * 1024;

/**
 * An entry's bytes, inflated a chunk at a time: never more than the directory says (so a budget
 * checked against the directory's size holds), and the checksum must match at the end.
 */
export async function* entryChunks(buf: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.flags & 1) throw notSpreadsheet('damaged');
  const data = buf.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let total = 0;
  let crc = 0;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw entryMismatch(entry.name);
    for (let at = 0; at < data.length; at += CHUNK) {
      const chunk = data.subarray(at, at + CHUNK);
      crc = crc32(chunk, crc);
      total += chunk.length;
      yield chunk;
    }
  } else if (entry.method === 8) {
    const inflate = createInflateRaw({ chunkSize: CHUNK });
    inflate.end(data);
    const chunks = inflate[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch {
          throw notSpreadsheet('damaged');
        }
        if (next.done) break;
        total += next.value.length;
        if (total > entry.size) throw entryMismatch(entry.name);
        crc = crc32(next.value, crc);
        yield next.value;
      }
    } finally {
      inflate.destroy();
    }
  } else {
    throw notSpreadsheet('compression');
  }
  if (total !== entry.size || crc !== entry.crc) throw entryMismatch(entry.name);
}

/** A small part whole, as text (workbook.xml, relationships), its size bounded first. */
export async function entryText(buf: Buffer, entry: ZipEntry, budget: number, onOver: () => HttpError) {
  if (entry.size > budget) throw onOver();
  const parts: Buffer[] = [];
  for await (const chunk of entryChunks(buf, entry)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
