import fs from 'node:fs';
import path from 'node:path';
import {
  FILING_MACHINE,
  FILING_STATES,
  FILING_TRANSITIONS,
  actionFor,
  filingRule,
  needsText,
  isOpenFiling,
  countsAsFiled,
  STORED_FILING_STATES,
  transitionsFrom,
  type FilingState,
  type FilingTransition,
} from '../../../src/domain/filing';

/**
 * The workflow as issue 10 and the README describe it, written out by hand cell by cell:
 * `to-state / action` where allowed, `-` where refused. Columns in FILING_TRANSITIONS order:
 * submit, take-under-review, return, resubmit, approve, withdraw, comment, justify.
 */
const GRID: Record<FilingState, string> = {
  draft: '          submitted/version.file | - | - | - | - | - | - | -',
  submitted:
    '         - | under-review/filing.review | - | - | - | withdrawn/version.file | submitted/filing.comment | submitted/version.file',
  'under-review':
    '      - | - | returned/filing.review | - | approved/filing.approve | - | under-review/filing.comment | under-review/version.file',
  returned:
    '          - | - | - | resubmitted/version.file | - | withdrawn/version.file | returned/filing.comment | returned/version.file',
  resubmitted:
    '       - | under-review/filing.review | - | - | - | withdrawn/version.file | resubmitted/filing.comment | resubmitted/version.file',
  approved: '          - | - | - | - | - | - | approved/filing.comment | -',
  withdrawn: '         - | - | - | - | - | - | withdrawn/filing.comment | -',
};

const cells: Array<[FilingState, FilingTransition, string]> = FILING_STATES.flatMap((from) => {
  const row = GRID[from].trim().split(/\s*\|\s*/);
  expect(row).toHaveLength(FILING_TRANSITIONS.length);
  return FILING_TRANSITIONS.map((t, i): [FilingState, FilingTransition, string] => [
    from,
    t,
    row[i] ?? '?',
  ]);
});

describe('the filing state machine', () => {
  it('covers 7 states × 8 transitions', () => {
    expect(cells).toHaveLength(56);
    expect(cells.filter(([, , want]) => want !== '-')).toHaveLength(FILING_MACHINE.length);
  });

  it.each(cells)('%s --%s--> %s', (from, transition, want) => {
    const rule = filingRule(from, transition);
    expect(rule === null ? '-' : `${rule.to}/${rule.action}`).toBe(want);
  });

  it('returns need a comment; comments and justifications are their text; the rest may have one', () => {
    const required = FILING_MACHINE.filter((r) => r.comment === 'required').map(
      (r) => `${r.from}:${r.transition}`,
    );
    expect(required).toEqual([
      'submitted:comment',
      'submitted:justify',
      'under-review:return',
      'under-review:comment',
      'under-review:justify',
      'returned:comment',
      'returned:justify',
      'resubmitted:comment',
      'resubmitted:justify',
      'approved:comment',
      'withdrawn:comment',
    ]);
  });

  it.each(FILING_TRANSITIONS)('%s needs one action and one text rule in every state', (t) => {
    const rules = FILING_MACHINE.filter((r) => r.transition === t);
    expect(new Set(rules.map((r) => r.action)).size).toBe(1);
    expect(new Set(rules.map((r) => r.comment)).size).toBe(1);
    expect(actionFor(t)).toBe(rules[0]?.action);
    expect(needsText(t)).toBe(rules[0]?.comment === 'required');
  });

  it('lists the transitions from a state, and which states are open or still filed', () => {
    expect(transitionsFrom('under-review').map((r) => r.transition)).toEqual([
      'return',
      'approve',
      'comment',
      'justify',
    ]);
    expect(STORED_FILING_STATES.filter(isOpenFiling)).toEqual([
      'submitted',
      'under-review',
      'returned',
      'resubmitted',
    ]);
    expect(STORED_FILING_STATES.filter((s) => !countsAsFiled(s))).toEqual(['withdrawn']);
  });
});

/** The README's table, as the code's table renders it. */
export function machineMarkdown(): string {
  const header = '| from | transition | to | allowed by |';
  const rows = FILING_MACHINE.map(
    (r) =>
      `| ${r.from} | \`${r.transition}\`${r.comment === 'required' ? ' (with text)' : ''} | ${r.to} | \`${r.action}\` |`,
  );
  return [header, '|---|---|---|---|', ...rows].join('\n');
}

it('README.md shows the filing state machine exactly as the code has it', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  if (process.env.PRINT_MACHINE === '1') process.stdout.write(`${machineMarkdown()}\n`);
  expect(readme).toContain(`\n${machineMarkdown()}\n`);
});
