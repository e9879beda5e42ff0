import { StringDecoder } from 'node:string_decoder';
import { notSpreadsheet } from './refusals.ts';

/**
 * A streaming tokenizer for the XML of a workbook's parts, fed a chunk at a time. It holds back
 * only an unfinished tag (bounded: a longer one is no workbook's) and a cut-off entity; text goes
 * to the handler as it comes, so whoever keeps it decides how much. No DTD is read, so no entity
 * can expand.
 */
export type XmlHandler = {
  /** A start tag: its local name (prefix dropped) and its attributes, unparsed. */
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
};

/**
 * Longer than any tag a workbook has: a cell's is some 40 characters, the longest are ranges a
 * validation or format applies to (`sqref`), a few kilobytes even when they list many.
 */
const MAX_TAG = 1024 * 1024;
/** Deeper than any workbook's XML nests (a sheet's cell text is five deep). */
const MAX_DEPTH = 64;

type Mode = 'text' | 'cdata' | 'comment';

export class XmlTokenizer {
  private rest = '';
  private mode: Mode = 'text';
  /** The open elements: each must close, in order, for the part to be whole. */
  private readonly open: string[] = [];
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly handler: XmlHandler) {}

  push(chunk: Buffer): void {
    this.feed(this.rest + this.decoder.write(chunk), false);
  }

  end(): void {
    this.feed(this.rest + this.decoder.end(), true);
    if (this.rest !== '' || this.mode !== 'text' || this.open.length > 0) throw notSpreadsheet('damaged');
  }

  private feed(s: string, final: boolean): void {
    let i = 0;
    const n = s.length;
    while (i < n) {
      if (this.mode !== 'text') {
        const mark = this.mode === 'cdata' ? ']]>' : '-->';
        const close = s.indexOf(mark, i);
        // Up to the last two characters, which may begin the closing mark.
        const upTo = close >= 0 ? close : Math.max(i, n - 2);
        if (this.mode === 'cdata' && upTo > i) this.handler.text(s.slice(i, upTo));
        if (close < 0) {
          this.rest = s.slice(upTo);
          return;
        }
        this.mode = 'text';
        i = close + 3;
        continue;
      }
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // Keep back an entity the chunk may have cut (`&am|p;`).
        const amp = s.lastIndexOf('&');
        const cut = !final && amp >= i && n - amp < 12 && s.indexOf(';', amp) < 0 ? amp : n;
        if (cut > i) this.handler.text(decodeEntities(s.slice(i, cut)));
        this.rest = s.slice(cut);
        return;
      }
      if (lt > i) this.handler.text(decodeEntities(s.slice(i, lt)));
      const next = this.markup(s, lt, final);
      if (next < 0) {
        if (n - lt > MAX_TAG) throw notSpreadsheet('damaged');
        this.rest = s.slice(lt);
        return;
      }
      i = next;
    }
    this.rest = '';
  }

  /** Handles the markup at `lt`; where what follows it starts, or -1 when it is not all here yet. */
  private markup(s: string, lt: number, final: boolean): number {
    const c = s.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (s.length - lt < 9 && !final) return -1;
      if (s.startsWith('<!--', lt)) {
        this.mode = 'comment';
        return lt + 4;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        this.mode = 'cdata';
        return lt + 9;
      }
      // A DOCTYPE (and with it entity definitions): no workbook has one.
      throw notSpreadsheet('damaged');
    }
    if (c === 63 /* ? */) {
      const close = s.indexOf('?>', lt + 2);
      return close < 0 ? -1 : close + 2;
    }
    const gt = tagEnd(s, lt + 1);
    if (gt < 0) return -1;
    if (c === 47 /* / */) {
      const name = s.slice(lt + 2, gt).trim();
      if (this.open.pop() !== name) throw notSpreadsheet('damaged');
      this.handler.close(localName(name));
      return gt + 1;
    }
    const selfClosing = s.charCodeAt(gt - 1) === 47;
    const body = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
    const space = body.search(/\s/);
    const name = space < 0 ? body : body.slice(0, space);
    if (name === '') throw notSpreadsheet('damaged');
    if (!selfClosing && this.open.push(name) > MAX_DEPTH) throw notSpreadsheet('damaged');
    this.handler.open(localName(name), space < 0 ? '' : body.slice(space), selfClosing);
    return gt + 1;
  }
}

/** The `>` that ends a tag, skipping quoted attribute values (which may hold one). */
function tagEnd(s: string, from: number): number {
  let quote = 0;
  for (let j = from; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return j;
  }
  return -1;
}

const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, name: string) => {
    if (name[0] !== '#') return named[name] ?? whole;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A tag's attributes by name (prefixes kept: `r:id`), values decoded. */
export function attributes(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  for (;;) {
    const eq = raw.indexOf('=', i);
    if (eq < 0) return out;
    let q = eq + 1;
    while (q < raw.length && raw.charCodeAt(q) <= 32) q++;
    const quote = raw[q];
    if (quote !== '"' && quote !== "'") return out;
    const close = raw.indexOf(quote, q + 1);
    if (close < 0) return out;
    out[raw.slice(i, eq).trim()] = decodeEntities(raw.slice(q + 1, close));
    i = close + 1;
  }
}
