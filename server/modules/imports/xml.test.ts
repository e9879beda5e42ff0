import { describe, expect, it } from 'vitest';
import { attributes, decodeEntities, XmlTokenizer } from './xml.ts';

/** What a tokenizer reported, text run together as a reader keeps it. */
function events(pieces: string[]): string[] {
  const out: string[] = [];
  const text = (t: string) => {
    if (out.at(-1)?.startsWith('text:')) out[out.length - 1] += t;
    else out.push(`text:${t}`);
  };
  const tokens = new XmlTokenizer({
    open: (name, raw, selfClosing) =>
      out.push(`open:${name}:${JSON.stringify(attributes(raw))}:${selfClosing}`),
    close: (name) => out.push(`close:${name}`),
    text,
  });
  for (const piece of pieces) tokens.push(Buffer.from(piece));
  tokens.end();
  return out;
}

describe('the XML tokenizer', () => {
  const xml =
    '<?xml version="1.0"?><x:sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>张三 &amp; &#x674E;</t></is></c></row>' +
    '<!-- a > comment --><row r="2"/><rowBreaks/><row><c a="1>2" t=\'s\'><v>0</v></c></row>' +
    '<row><c><v><![CDATA[<not a tag>]]></v></c></row></x:sheetData>';

  it('reports the same tags and text wherever the chunks cut it (tags, entities, comments, CDATA)', () => {
    const whole = events([xml]);
    expect(whole.filter((e) => e.startsWith('open:row:')).length).toBe(4);
    expect(whole).toContain('text:张三 & 李');
    expect(whole).toContain('text:<not a tag>');
    expect(whole).toContain('open:c:{"a":"1>2","t":"s"}:false');
    const bytes = Buffer.from(xml);
    for (let cut = 1; cut < bytes.length; cut++) {
      // Cut through bytes, so through a character's UTF-8 as well.
      const tokens: string[] = [];
      const seen = new XmlTokenizer({
        open: (name, raw, selfClosing) =>
          tokens.push(`open:${name}:${JSON.stringify(attributes(raw))}:${selfClosing}`),
        close: (name) => tokens.push(`close:${name}`),
        text: (t) => {
          if (tokens.at(-1)?.startsWith('text:')) tokens[tokens.length - 1] += t;
          else tokens.push(`text:${t}`);
        },
      });
      seen.push(bytes.subarray(0, cut));
      seen.push(bytes.subarray(cut));
      seen.end();
      expect(tokens, `cut at ${cut}`).toEqual(whole);
    }
  });

  it('reads no DTD (so no entity can expand) and bounds an unfinished tag', () => {
    expect(() => events(['<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'])).toThrow(/damaged/);
    expect(() => events([`<c r="${'A'.repeat(1_100_000)}`])).toThrow(/damaged/);
    // A validation over many ranges has a long tag, and is read.
    const sqref = 'A1:A2 '.repeat(20_000);
    expect(events([`<v sqref="${sqref.slice(0, 50_000)}`, `${sqref.slice(50_000)}"/>`])).toEqual([
      `open:v:${JSON.stringify({ sqref })}:true`,
    ]);
    expect(() => events(['<c><v>1</v>', '<c'])).toThrow(/damaged/);
    // A long text is passed on as it comes, never held back.
    const long = 'x'.repeat(200_000);
    expect(events(['<t>', long.slice(0, 100_000), long.slice(100_000), '</t>'])).toEqual([
      'open:t:{}:false',
      `text:${long}`,
      'close:t',
    ]);
  });

  it('decodes the entities XML has, and leaves alone what is none', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;')).toBe('<>&"\'A😀');
    expect(decodeEntities('&nbsp; &#x110000; & a')).toBe('&nbsp; &#x110000; & a');
  });
});
