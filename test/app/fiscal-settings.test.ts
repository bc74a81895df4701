import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import {
  saveFiscalSettings,
  settingsScope,
  siblingPortfolios,
} from '../../src/app/fiscal-settings';
import { ValidationError } from '../../src/domain/errors';
import { type Store } from '../../src/store';
import { demoStore } from '../web/support/app';

/** One jurisdiction, one set of figures: a save applied to every portfolio of the jurisdiction. */
let store: Store;
const actor = (name: string) => actorOfUser(store.accounts.findUser(name)!, 'session', false);
const BALANCED = '2027 均衡方案 Balanced 2027 plan';
const DEMO_CITY = '示范市 Demo City';
const idOf = (name: string) => store.portfolios.getByName(name).id;
const demoIds = () => store.portfolios.list().map((p) => p.id);

const SETTINGS = {
  jurisdiction: DEMO_CITY,
  budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '48000000000', growth: '0.025' },
  otherObligations: [{ year: 2027, amountYuan: '3900000000' }],
  fundBudget: null,
  bondQuotas: [{ year: 2027, specialBondYuan: '420000000', generalBondYuan: '90000000.50' }],
};

beforeEach(() => {
  store = demoStore();
});

function figures(id: number) {
  const { portfolioId: _p, updatedAt: _u, ...rest } = store.fiscal.getSettings(id)!;
  return rest;
}

describe('saveFiscalSettings', () => {
  it('with scope jurisdiction writes every live portfolio of the jurisdiction, each audited with where it came from', () => {
    const id = idOf(BALANCED);
    const out = saveFiscalSettings(store, actor('approver'), id, SETTINGS, {
      comment: '2027 quota allotted',
      scope: 'jurisdiction',
    });
    expect(out.changed).toBe(true);
    expect(out.applied.map((a) => [a.name, a.changed])).toEqual([
      ['2027 PPP为主方案 PPP-heavy 2027 plan', true],
      ['2027 专项债为主方案 Bond-heavy 2027 plan', true],
    ]);
    for (const p of demoIds()) expect(figures(p)).toEqual(SETTINGS);
    const own = store.audit.list({ entity: 'portfolio-fiscal', entityId: id, limit: 1 })[0]!;
    expect([own.actor, own.details.comment]).toEqual(['approver', '2027 quota allotted']);
    const other = out.applied[0]!.portfolioId;
    const entry = store.audit.list({ entity: 'portfolio-fiscal', entityId: other, limit: 1 })[0]!;
    expect([entry.action, entry.actor, entry.details.comment]).toEqual([
      'update-fiscal-settings',
      'approver',
      `2027 quota allotted (Applied from portfolio ${id} to every portfolio of ${DEMO_CITY})`,
    ]);
    // The same again changes nothing anywhere.
    const again = saveFiscalSettings(store, actor('approver'), id, SETTINGS, {
      scope: 'jurisdiction',
    });
    expect([again.changed, ...again.applied.map((a) => a.changed)]).toEqual([false, false, false]);
  });

  it('with scope portfolio (the default) writes only that portfolio, and the others show as different', () => {
    const id = idOf(BALANCED);
    const before = siblingPortfolios(store, actor('approver'), store.fiscal.getSettings(id)!);
    expect(before.map((s) => s.same)).toEqual([true, true]);
    const out = saveFiscalSettings(store, actor('approver'), id, SETTINGS);
    expect(out.applied).toEqual([]);
    const others = demoIds().filter((p) => p !== id);
    for (const p of others) expect(figures(p).bondQuotas).toHaveLength(5);
    const after = siblingPortfolios(store, actor('approver'), store.fiscal.getSettings(id)!);
    expect(after.map((s) => [s.id, s.same])).toEqual(
      others
        .map((p) => [p, false])
        .sort((a, b) => {
          const name = (x: number) => store.portfolios.get(x).name;
          return name(a[0] as number).localeCompare(name(b[0] as number));
        }),
    );
  });

  it('leaves portfolios of another jurisdiction and archived ones alone', () => {
    const otherCity = store.portfolios.create({ name: 'Elsewhere plan', members: [] }, 'approver');
    store.fiscal.setSettings(otherCity.id, { ...SETTINGS, jurisdiction: 'Elsewhere' }, 'approver');
    const archived = store.portfolios.create({ name: 'Old plan', members: [] }, 'approver');
    store.fiscal.setSettings(archived.id, { ...SETTINGS, bondQuotas: [] }, 'approver');
    store.portfolios.delete(archived.id, 'approver');
    const out = saveFiscalSettings(store, actor('approver'), idOf(BALANCED), SETTINGS, {
      scope: 'jurisdiction',
    });
    expect(out.applied.map((a) => a.portfolioId)).not.toContain(otherCity.id);
    expect(out.applied.map((a) => a.portfolioId)).not.toContain(archived.id);
    expect(figures(otherCity.id).jurisdiction).toBe('Elsewhere');
    expect(figures(archived.id).bondQuotas).toEqual([]);
  });

  it('is all or nothing: a refusal on another portfolio rolls back the first write', () => {
    const audit = store.audit.count();
    const before = demoIds().map(figures);
    // 3,990 characters are a valid comment; with the note the other portfolios get, it is too long.
    const comment = 'x'.repeat(3990);
    let err: unknown;
    try {
      saveFiscalSettings(store, actor('approver'), idOf(BALANCED), SETTINGS, {
        comment,
        scope: 'jurisdiction',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['comment']);
    expect(demoIds().map(figures)).toEqual(before);
    expect(store.audit.count()).toBe(audit);
  });

  it('needs budget.write: the analyst is refused and nothing is written', () => {
    const before = demoIds().map(figures);
    expect(() =>
      saveFiscalSettings(store, actor('analyst'), idOf(BALANCED), SETTINGS, {
        scope: 'jurisdiction',
      }),
    ).toThrow(ForbiddenError);
    expect(demoIds().map(figures)).toEqual(before);
  });

  it('reads the scope: absent or "portfolio", "jurisdiction"; anything else is an error at apply', () => {
    expect([
      settingsScope(undefined),
      settingsScope('portfolio'),
      settingsScope('jurisdiction'),
    ]).toEqual(['portfolio', 'portfolio', 'jurisdiction']);
    for (const bad of ['all', ['jurisdiction', 'x'], 1]) {
      try {
        settingsScope(bad);
        throw new Error('accepted');
      } catch (e) {
        expect((e as ValidationError).issues).toEqual([
          { path: 'apply', message: 'apply must be "portfolio" or "jurisdiction"' },
        ]);
      }
    }
  });
});
