import { ValidationError } from '../../../src/domain/errors';
import { effectiveOwnership } from '../../../src/domain/scenario/ownership';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { newConcessionInput } from '../fiscal/builders';

/** Issue 9, item 10: `ownership` of equity sources in `fundmix-scenario@1` files. */

const withSources = (sources: unknown[]): ScenarioInput => {
  const s = newConcessionInput();
  s.funding.sources = sources as ScenarioInput['funding']['sources'];
  return s;
};

function issues(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseScenario(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => ({ ...i }));
    throw err;
  }
  return [];
}

describe('ownership of equity sources', () => {
  it('is optional: a file without it parses and keeps it absent', () => {
    const s = newConcessionInput();
    for (const src of s.funding.sources) delete src.ownership;
    const parsed = parseScenario(s);
    expect(parsed.funding.sources.map((x) => x.ownership)).toEqual([undefined, undefined]);
  });

  it.each([
    ['government-equity', undefined, 'government'],
    ['guided-fund-equity', undefined, 'government'],
    ['government-equity', 'state-owned', 'state-owned'],
    ['social-equity', undefined, null],
    ['enterprise-equity', undefined, null],
    ['industrial-fund', undefined, null],
    ['reits', undefined, null],
    ['other', undefined, null],
    ['social-equity', 'private', 'private'],
    ['social-equity', 'state-owned', 'state-owned'],
  ] as const)('%s with ownership %s counts as %s', (type, ownership, expected) => {
    expect(effectiveOwnership({ type, ownership })).toBe(expected);
  });

  it('is refused on debt and grants, and as private on government equity, at the field', () => {
    expect(
      issues(
        withSources([
          { id: 'a', name: 'A', type: 'budget', ownership: 'government', amountYuan: '100000' },
          {
            id: 'b',
            name: 'B',
            type: 'bank-loan',
            ownership: 'private',
            amountYuan: '100000',
            debt: { annualRate: '0.04', tenorYears: 3, repayment: 'bullet' },
          },
          {
            id: 'c',
            name: 'C',
            type: 'government-equity',
            ownership: 'private',
            amountYuan: '100000',
          },
          { id: 'd', name: 'D', type: 'social-equity', ownership: 'public', amountYuan: '700000' },
        ]),
      ),
    ).toEqual([
      {
        path: 'funding.sources[3].ownership',
        message: 'Ownership must be one of private, state-owned, mixed, foreign, government',
      },
      {
        path: 'funding.sources[0].ownership',
        message: 'A budget source is not equity and has no ownership: leave ownership out',
      },
      {
        path: 'funding.sources[1].ownership',
        message: 'A bank-loan source is not equity and has no ownership: leave ownership out',
      },
      {
        path: 'funding.sources[2].ownership',
        message:
          'A government-equity source is government money: its ownership can only be government or state-owned',
      },
    ]);
  });
});
