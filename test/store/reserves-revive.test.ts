import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import { canonicalJson, reviveResult, type StoredResult } from '../../src/store';
import { smallInput } from '../helpers/scenarios';

/** A cached result with reserve lines (issue 9) revives to the very result the engine gave. */
describe('reviveResult with reserves', () => {
  it.each([
    [
      'every part',
      {
        dsra: { months: 6, funding: 'equity' as const },
        maintenance: [{ year: 2, amountYuan: '10000' }],
        lockUp: { minDscr: '1.5' },
      },
    ],
    ['the lock-up alone', { lockUp: { minDscr: '1.5' } }],
  ])('%s', (_name, reserves) => {
    const result = simulate(parseScenario(smallInput((s) => (s.reserves = reserves))));
    const revived = reviveResult(JSON.parse(JSON.stringify(result)) as StoredResult);
    expect(revived).toEqual(result);
    expect(canonicalJson(revived)).toBe(canonicalJson(result));
    expect(revived.ledger[1]?.reserves?.lockUp?.balance.constructor).toBe(
      result.ledger[1]?.capex.constructor,
    );
  });
});
