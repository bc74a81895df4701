/** Small readers of rendered HTML for tests: what a user sees, and what a form would send. */

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#x27': "'",
  '#39': "'",
  '#x3D': '=',
  '#x60': '`',
  nbsp: ' ',
};

export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, name: string) => {
    if (ENTITIES[name] !== undefined) return ENTITIES[name] as string;
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return m;
  });
}

/** The text a user reads: no scripts, templates or tags; entities decoded; spaces collapsed. */
export function visibleText(html: string): string {
  return unescapeHtml(
    html.replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeHtml(m[1] as string) : undefined;
}

const hasAttr = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|>|=|$)`).test(tag);

/** The element with this id (outer HTML of a form, a table ...), or throws. */
export function section(html: string, tag: string, id: string): string {
  const start = html.search(new RegExp(`<${tag}\\b[^>]*\\sid="${id}"`));
  if (start < 0) throw new Error(`no <${tag} id="${id}">`);
  // Walk to the matching close tag, counting nested elements of the same name.
  const re = new RegExp(`<${tag}\\b|</${tag}>`, 'g');
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`<${tag} id="${id}"> is not closed`);
}

/** A form's fields as a browser sends them: name/value pairs in document order. */
export type Fields = Array<[string, string]>;

/** The name/value pairs a browser would submit for a form's inputs, selects and textareas (no buttons). */
export function formFields(formHtml: string): Fields {
  const out: Fields = [];
  const re =
    /<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>[\s\S]*?<\/textarea>/g;
  for (const m of formHtml.matchAll(re)) {
    const el = m[0];
    const open = /^<[^>]*>/.exec(el)![0];
    const name = attr(open, 'name');
    if (!name) continue;
    if (el.startsWith('<input')) {
      const type = attr(open, 'type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !hasAttr(open, 'checked')) continue;
      if (type === 'submit' || type === 'button') continue;
      out.push([name, attr(open, 'value') ?? '']);
    } else if (el.startsWith('<select')) {
      const options = [...el.matchAll(/<option\b([^>]*)>/g)].map((o) => o[0]);
      const chosen = options.find((o) => hasAttr(o, 'selected')) ?? options[0];
      out.push([name, chosen ? (attr(chosen, 'value') ?? '') : '']);
    } else {
      out.push([
        name,
        unescapeHtml(el.replace(/^<textarea\b[^>]*>/, '').replace(/<\/textarea>$/, '')),
      ]);
    }
  }
  return out;
}

/** Replaces (or adds) a field's value in a list of form pairs. */
export function setField(fields: Fields, name: string, value: string): Fields {
  const found = fields.some(([n]) => n === name);
  return found ? fields.map(([n, v]) => [n, n === name ? value : v]) : [...fields, [name, value]];
}

/** Several fields typed in at once (each replaced or added, as `setField`). */
export function fill(fields: Fields, values: Record<string, string>): Fields {
  return Object.entries(values).reduce((f, [k, v]) => setField(f, k, v), fields);
}

export function fieldValue(fields: Fields, name: string): string | undefined {
  return fields.filter(([n]) => n === name).pop()?.[1];
}

export function encodeForm(fields: Fields): string {
  return new URLSearchParams(fields).toString();
}

/** The value attribute of the input with this name in a page. */
export function inputValue(html: string, name: string): string | undefined {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)]
    .map((m) => m[0])
    .find((t) => attr(t, 'name') === name);
  return tag ? attr(tag, 'value') : undefined;
}
