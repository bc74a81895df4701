/**
 * One line of the soak summary. `ok` is true or false for a target or invariant, `null` for a
 * figure shown for information only, `'skip'` when the check could not run on this machine.
 */
export interface SoakRow {
  part: string;
  check: string;
  figure: string;
  target?: string;
  ok: boolean | null | 'skip';
  note?: string;
}

const verdict = (ok: SoakRow['ok']): string =>
  ok === true ? 'pass' : ok === false ? 'FAIL' : ok === 'skip' ? 'skip' : '';

/** The rows as a plain-text table, widths fitted to the content; notes go on their own line. */
export function formatTable(rows: readonly SoakRow[]): string {
  const head = ['part', 'check', 'figure', 'target', 'result'];
  const cells = rows.map((r) => [r.part, r.check, r.figure, r.target ?? '', verdict(r.ok)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((s, i) => (i === 2 ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    if (r.note) out.push(`${' '.repeat(widths[0]! + 2)}  ↳ ${r.note}`);
  });
  return `${out.join('\n')}\n`;
}

/** A row for a count that must be zero. */
export function zeroRow(part: string, check: string, n: number, note?: string): SoakRow {
  return { part, check, figure: String(n), target: '0', ok: n === 0, note };
}

/** A row for a yes/no invariant. */
export function boolRow(part: string, check: string, ok: boolean, note?: string): SoakRow {
  return { part, check, figure: ok ? 'yes' : 'no', target: 'yes', ok, note };
}

/** The row for SQLite's `integrity_check` answer on a database after a part (`ok` or the problems). */
export function integrityRow(part: string, integrity: string): SoakRow {
  return boolRow(
    part,
    'SQLite integrity_check ok',
    integrity === 'ok',
    integrity === 'ok' ? undefined : integrity,
  );
}

/** A row for a figure that must stay at or below a limit. */
export function maxRow(
  part: string,
  check: string,
  value: number,
  limit: number,
  unit: string,
  note?: string,
): SoakRow {
  return {
    part,
    check,
    figure: `${value} ${unit}`,
    target: `≤ ${limit} ${unit}`,
    ok: value <= limit,
    note,
  };
}

/** A row shown for information. */
export function infoRow(part: string, check: string, figure: string, note?: string): SoakRow {
  return { part, check, figure, ok: null, note };
}

/** A row for a check that cannot run here (not root, no setpriv, ...). */
export function skipRow(part: string, check: string, why: string): SoakRow {
  return { part, check, figure: '-', ok: 'skip', note: why };
}
