import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { sheetXml, workbookParts } from './spreadsheets.ts';

/**
 * Hostile workbooks, built byte by byte: every local header, directory entry and their order is
 * ours to set, so a test can make each lie a reader might believe (issue 20, items 1 and 2).
 */
export type Deflated = { data: Buffer; size: number; crc: number };

/** Deflates pieces a megabyte at a time, so a part that expands to 400 MB is never held whole. */
export async function deflateLarge(pieces: (string | Buffer | { repeat: Buffer; times: number })[]) {
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  let size = 0;
  let crc = 0;
  const write = async (piece: Buffer) => {
    size += piece.length;
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  };
  for (const piece of pieces) {
    if (typeof piece === 'string') await write(Buffer.from(piece));
    else if (Buffer.isBuffer(piece)) await write(piece);
    else for (let i = 0; i < piece.times; i++) await write(piece.repeat);
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(out), size, crc } satisfies Deflated;
}

export type CraftedEntry = {
  name: string;
  data?: Buffer;
  /** Already deflated (a bomb built a piece at a time). */
  deflated?: Deflated;
  store?: boolean;
  /** What the local header calls it, when that differs from the directory. */
  localName?: string;
  /** What the directory and the local header say it expands to, when they lie. */
  declaredSize?: number;
  /** What only the local header says it expands to. */
  localSize?: number;
  /** A checksum that does not match. */
  crc?: number;
  /** Sizes after the data (bit 3), as streaming writers write them; optionally disagreeing. */
  descriptor?: boolean | { crc?: number; size?: number };
  /** A local entry the directory does not list: only a reader of local headers sees it. */
  hidden?: boolean;
};

/**
 * A zip of `entries` in this order. `directoryOrder` lists them in another order in the central
 * directory; `aliases` adds directory entries under other names for an entry's same bytes.
 */
export function craftZip(
  entries: CraftedEntry[],
  options: { directoryOrder?: number[]; aliases?: { name: string; of: string }[] } = {},
): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const centralOf: Buffer[] = [];
  const offsets = new Map<string, { header: Buffer; offset: number }>();
  let offset = 0;
  for (const entry of entries) {
    const body = entry.deflated?.data ?? (entry.store ? entry.data! : deflateRawSync(entry.data!));
    const size = entry.declaredSize ?? entry.deflated?.size ?? entry.data!.length;
    const crc = entry.crc ?? entry.deflated?.crc ?? crc32(entry.data!);
    const method = entry.store ? 0 : 8;
    const descriptor =
      entry.descriptor === undefined ? null : entry.descriptor === true ? {} : entry.descriptor;
    const name = Buffer.from(entry.name);
    const localName = Buffer.from(entry.localName ?? entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(descriptor ? 8 : 0, 6);
    local.writeUInt16LE(method, 8);
    if (!descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(entry.localSize ?? size, 22);
    }
    local.writeUInt16LE(localName.length, 26);
    const trailer = descriptor ? Buffer.alloc(16) : Buffer.alloc(0);
    if (descriptor) {
      trailer.writeUInt32LE(0x08074b50, 0);
      trailer.writeUInt32LE(descriptor.crc ?? crc, 4);
      trailer.writeUInt32LE(body.length, 8);
      trailer.writeUInt32LE(descriptor.size ?? size, 12);
    }
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(descriptor ? 8 : 0, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, localName, body, trailer);
    offsets.set(entry.name, { header, offset });
    centralOf.push(entry.hidden ? Buffer.alloc(0) : Buffer.concat([header, name]));
    offset += 30 + localName.length + body.length + trailer.length;
  }
  for (const i of options.directoryOrder ?? entries.map((_, i) => i)) central.push(centralOf[i]!);
  for (const alias of options.aliases ?? []) {
    const header = Buffer.from(offsets.get(alias.of)!.header);
    const name = Buffer.from(alias.name);
    header.writeUInt16LE(name.length, 28);
    central.push(header, name);
  }
  const directory = Buffer.concat(central);
  const count = central.filter((b) => b.length >= 46 && b.readUInt32LE(0) === 0x02014b50).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

let phone = 0;
/** Rows of customers no other test has: a name and a phone each. */
export function customerRows(count: number, prefix = '构造'): unknown[][] {
  return [
    ['姓名', '手机'],
    ...Array.from({ length: count }, () => {
      phone++;
      return [`${prefix}${phone}`, `1770${String(phone).padStart(7, '0')}`];
    }),
  ];
}

/** A workbook of `[target under xl/, rows]` sheets (the first is the first tab), as crafted entries. */
export function craftedWorkbook(sheets: [string, unknown[][]][]): CraftedEntry[] {
  return workbookParts(sheets.map(([target, rows]) => [target, sheetXml(rows)]));
}

/** A PRNG with a seed, so a fuzz run that finds something can be run again. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (below: number) => Math.floor(next() * below) };
}

/** A copy of `file` broken the ways files break: bits flipped, cut short, bytes lost or repeated. */
export function mutate(file: Buffer, random: ReturnType<typeof seeded>): Buffer {
  const copy = Buffer.from(file);
  switch (random.int(5)) {
    case 0:
      for (let i = random.int(8) + 1; i > 0; i--) {
        const at = random.int(copy.length);
        copy[at] = copy[at]! ^ (1 << random.int(8));
      }
      return copy;
    case 1:
      return copy.subarray(0, random.int(copy.length));
    case 2: {
      const at = random.int(copy.length);
      return Buffer.concat([copy.subarray(0, at), copy.subarray(at + random.int(64) + 1)]);
    }
    case 3: {
      const at = random.int(copy.length);
      const piece = copy.subarray(at, at + random.int(256) + 1);
      return Buffer.concat([copy.subarray(0, at), piece, copy.subarray(at)]);
    }
    default: {
      // A size, offset or count field set to an extreme.
      const at = random.int(Math.max(1, copy.length - 4));
      copy.writeUInt32LE([0, 0xffffffff, 0x7fffffff, random.int(2 ** 32)][random.int(4)]!, at);
      return copy;
    }
  }
}
