import zlib from 'node:zlib';

/**
 * The text a PDF from Chromium (Skia) shows, in drawing order, read with a small parser: enough
 * for a test to ask whether a text made it onto the page, not a general PDF reader. It reads the
 * uncompressed object table (`N 0 obj … endobj`, no object streams, as Skia writes), inflates
 * FlateDecode streams, maps each font's codes to Unicode through its ToUnicode CMap (bfchar and
 * bfrange, code width from its codespace range) and decodes the hex strings of `Tj`/`TJ` under the
 * font `Tf` selected. Text drawn otherwise (images, paths) is not seen.
 */
export function pdfText(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const out: string[] = [];
  for (const page of objects.values()) {
    if (!/\/Type\s*\/Page(?![s\w])/.test(page.dict)) continue;
    const fonts = fontMaps(page.dict, objects);
    for (const ref of refsOf(page.dict, 'Contents'))
      out.push(...showText(objects.get(ref)?.stream ?? '', fonts));
  }
  return out;
}

interface PdfObject {
  dict: string;
  /** The stream's bytes as latin1 text, inflated when FlateDecode. */
  stream: string | null;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>();
  const text = pdf.toString('latin1');
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = re.lastIndex;
    const end = text.indexOf('endobj', start);
    const at = text.indexOf('stream', start);
    if (end < 0) break;
    if (at < 0 || at > end) {
      objects.set(Number(m[1]), { dict: text.slice(start, end), stream: null });
      re.lastIndex = end;
      continue;
    }
    // A stream: its bytes are read by its length (they may hold anything, "endobj" too).
    const dict = text.slice(start, at);
    const from = at + 'stream'.length + (text[at + 6] === '\r' ? 2 : 1);
    const length = /\/Length\s+(\d+)(?!\s+0\s+R)/.exec(dict);
    const to = length ? from + Number(length[1]) : text.indexOf('endstream', from);
    const bytes = pdf.subarray(from, to);
    const stream = (/\/FlateDecode/.test(dict) ? zlib.inflateSync(bytes) : bytes).toString(
      'latin1',
    );
    objects.set(Number(m[1]), { dict, stream });
    const next = text.indexOf('endobj', to);
    if (next < 0) break;
    re.lastIndex = next;
  }
  return objects;
}

/** The object numbers `/Key N 0 R` or `/Key [N 0 R …]` refers to. */
function refsOf(dict: string, key: string): number[] {
  const m = new RegExp(`/${key}\\s*(\\[[^\\]]*\\]|\\d+ 0 R)`).exec(dict);
  return m ? [...m[1]!.matchAll(/(\d+) 0 R/g)].map((r) => Number(r[1])) : [];
}

interface CodeMap {
  /** Bytes per code (hex digits / 2). */
  width: number;
  codes: Map<number, string>;
}

/** Each font resource name of a page (`F4`) → its code → text map. */
function fontMaps(pageDict: string, objects: Map<number, PdfObject>): Map<string, CodeMap> {
  const maps = new Map<string, CodeMap>();
  const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(pageDict)?.[1] ?? '';
  for (const [, name, ref] of fontDict.matchAll(/\/(\S+?)\s+(\d+) 0 R/g)) {
    const font = objects.get(Number(ref));
    const [cmapRef] = font ? refsOf(font.dict, 'ToUnicode') : [];
    const cmap = cmapRef === undefined ? null : objects.get(cmapRef)?.stream;
    if (cmap) maps.set(name!, parseCMap(cmap));
  }
  return maps;
}

function utf16(hex: string): string {
  const units = (hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16));
  return String.fromCharCode(...units);
}

function parseCMap(cmap: string): CodeMap {
  const space = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(cmap);
  const width = space ? space[1]!.length / 2 : 2;
  const codes = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, text] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      codes.set(parseInt(code!, 16), utf16(text!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, text] of block[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g,
    )) {
      const first = parseInt(text!, 16);
      for (let c = parseInt(lo!, 16); c <= parseInt(hi!, 16); c++)
        codes.set(c, String.fromCharCode(first + c - parseInt(lo!, 16)));
    }
  return { width, codes };
}

/** The runs of text a content stream shows, one string per `Tj`/`TJ`. */
function showText(content: string, fonts: Map<string, CodeMap>): string[] {
  const runs: string[] = [];
  let font: CodeMap | undefined;
  const decode = (hex: string) => {
    if (!font) return '';
    const digits = font.width * 2;
    let s = '';
    for (let i = 0; i + digits <= hex.length; i += digits)
      s += font.codes.get(parseInt(hex.slice(i, i + digits), 16)) ?? '';
    return s;
  };
  const re = /\/(\S+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\]\s*TJ)|<([0-9a-fA-F]*)>\s*Tj/g;
  for (const [, name, array, single] of content.matchAll(re)) {
    if (name !== undefined) font = fonts.get(name);
    else if (array !== undefined)
      runs.push([...array.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1]!)).join(''));
    else if (single !== undefined) runs.push(decode(single));
  }
  return runs;
}

/**
 * Whether `text` is in the PDF's text, ignoring white space (line breaks fall between runs).
 * Skia's ToUnicode maps some Noto CJK glyphs shared by an ideograph and a radical to the radical
 * (用 → ⽤, 车 → ⻋): NFKC folds the Kangxi radicals back; a remaining CJK radical matches any
 * CJK ideograph; dashes (– and ‒ share a glyph) are one.
 */
export function pdfContains(runs: readonly string[], text: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .replace(/[\u2010-\u2015]/g, '-');
  const hay = fold(runs.join(''));
  const needle = fold(text);
  const radical = (c: string) => c >= '\u2e80' && c <= '\u2eff';
  const ideograph = (c: string) => /\p{Script=Han}/u.test(c);
  for (let i = 0; i + needle.length <= hay.length; i++) {
    let j = 0;
    while (j < needle.length) {
      const h = hay[i + j]!;
      const n = needle[j]!;
      if (h !== n && !(radical(h) && ideograph(n))) break;
      j++;
    }
    if (j === needle.length) return true;
  }
  return false;
}
