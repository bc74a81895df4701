import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import { addOrganisation, addUser } from '../../src/app/accounts';
import { checkApply, saveFiscalSettings, siblingPortfolios } from '../../src/app/fiscal-settings';
import { createPortfolio } from '../../src/app/portfolios';
import { systemActor } from '../../src/app/actors';
import { ValidationError } from '../../src/domain/errors';
import { type Store } from '../../src/store';
import { demoStore } from '../web/support/app';
import { BALANCED, DEMO_CITY } from '../helpers/demo-names';

/** One jurisdiction, one set of figures: a save from any of its portfolios is the jurisdiction's. */
let store: Store;
const actor = (name: string) => actorOfUser(store.accounts.findUser(name)!, 'session', false);
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
  it("sets the jurisdiction's figures, which every live portfolio of it then reads; audited once", () => {
    const id = idOf(BALANCED);
    const audit = store.audit.count();
    const out = saveFiscalSettings(store, actor('approver'), id, SETTINGS, {
      comment: '2027 quota allotted',
    });
    expect(out.changed).toBe(true);
    expect(out.applied.map((a) => [a.name, a.changed])).toEqual([
      ['2027 PPP为主方案 PPP-heavy 2027 plan', true],
      ['2027 专项债为主方案 Bond-heavy 2027 plan', true],
    ]);
    for (const p of demoIds()) expect(figures(p)).toEqual(SETTINGS);
    // One entry: the jurisdiction's figures, with the portfolio they were saved from.
    expect(store.audit.count()).toBe(audit + 1);
    const entry = store.audit.list({ limit: 1 })[0]!;
    expect([entry.action, entry.entity, entry.actor]).toEqual([
      'update-fiscal-settings',
      'jurisdiction-fiscal',
      'approver',
    ]);
    expect(entry.details).toMatchObject({ comment: '2027 quota allotted', portfolioId: id });
    expect(entry.entityId).toBe(store.fiscal.getJurisdictionFiscal(DEMO_CITY)!.id);
    // The same again changes nothing anywhere.
    const again = saveFiscalSettings(store, actor('approver'), id, SETTINGS);
    expect([again.changed, ...again.applied.map((a) => a.changed)]).toEqual([false, false, false]);
    expect(store.audit.count()).toBe(audit + 1);
  });

  it('lists the other portfolios of the jurisdiction, not those of another one or archived ones', () => {
    const otherCity = store.portfolios.create({ name: 'Elsewhere plan', members: [] }, 'approver');
    store.fiscal.setSettings(otherCity.id, { ...SETTINGS, jurisdiction: 'Elsewhere' }, 'approver');
    const archived = store.portfolios.create({ name: 'Old plan', members: [] }, 'approver');
    store.fiscal.setSettings(archived.id, SETTINGS, 'approver');
    store.portfolios.delete(archived.id, 'approver');
    const changed = { ...SETTINGS, bondQuotas: [] };
    const out = saveFiscalSettings(store, actor('approver'), idOf(BALANCED), changed);
    expect(out.applied.map((a) => a.portfolioId)).not.toContain(otherCity.id);
    expect(out.applied.map((a) => a.portfolioId)).not.toContain(archived.id);
    expect(figures(otherCity.id)).toEqual({ ...SETTINGS, jurisdiction: 'Elsewhere' });
    const id = idOf(BALANCED);
    const siblings = siblingPortfolios(store, actor('approver'), DEMO_CITY, id);
    expect(siblings.map((p) => p.name)).toEqual(out.applied.map((a) => a.name));
  });

  it('is all or nothing: a bureau elsewhere cannot change these figures through its own portfolio', async () => {
    const system = systemActor('operator (cli)');
    addOrganisation(store, system, {
      name: '他市财政局',
      kind: 'bureau',
      jurisdiction: 'Elsewhere',
    });
    await addUser(store, system, {
      username: 'elsewhere',
      org: '他市财政局',
      roles: ['bureau-approver'],
      password: 'correct horse battery',
    });
    const them = actor('elsewhere');
    const demo = demoIds();
    const own = createPortfolio(store, them, { name: 'Their plan' });
    const audit = store.audit.count();
    const before = demo.map(figures);
    // Their own portfolio they may write; Demo City's figures (and so its portfolios) they may not.
    expect(() => saveFiscalSettings(store, them, own.id, SETTINGS)).toThrow(ForbiddenError);
    expect(demo.map(figures)).toEqual(before);
    expect(store.fiscal.getSettings(own.id)).toBeNull();
    expect(store.audit.count()).toBe(audit);
    // Linking to Demo City's figures as they are changes no other portfolio: allowed.
    const same = store.fiscal.getJurisdictionFiscal(DEMO_CITY)!;
    const linked = saveFiscalSettings(store, them, own.id, {
      jurisdiction: DEMO_CITY,
      budget: same.budget,
      otherObligations: same.otherObligations,
      fundBudget: same.fundBudget,
      bondQuotas: same.bondQuotas,
    });
    expect(linked.changed).toBe(true);
    expect(linked.applied.every((a) => !a.changed)).toBe(true);
  });

  it("cannot overwrite another jurisdiction's figures through a portfolio of its own, even with no portfolio linked to them", () => {
    const elsewhere = { ...SETTINGS, jurisdiction: 'Elsewhere', bondQuotas: [] };
    const { jurisdiction: _j, ...figures } = elsewhere;
    store.fiscal.setJurisdictionFiscal('Elsewhere', figures, 'operator');
    const audit = store.audit.count();
    const id = idOf(BALANCED);
    const own = store.fiscal.getSettings(id);
    expect(() =>
      saveFiscalSettings(store, actor('approver'), id, { ...SETTINGS, jurisdiction: 'Elsewhere' }),
    ).toThrow(ForbiddenError);
    expect(store.fiscal.getJurisdictionFiscal('Elsewhere')!.bondQuotas).toEqual([]);
    expect(store.fiscal.getSettings(id)).toEqual(own);
    expect(store.audit.count()).toBe(audit);
    // Linking to Elsewhere's figures as they stand changes nothing of Elsewhere's: allowed.
    expect(saveFiscalSettings(store, actor('approver'), id, elsewhere).changed).toBe(true);
  });

  it('needs budget.write: the analyst is refused and nothing is written', () => {
    const before = demoIds().map(figures);
    expect(() => saveFiscalSettings(store, actor('analyst'), idOf(BALANCED), SETTINGS)).toThrow(
      ForbiddenError,
    );
    expect(demoIds().map(figures)).toEqual(before);
  });

  it('reads the API\'s apply: absent or "jurisdiction"; "portfolio" is refused with the reason', () => {
    expect(() => checkApply(undefined)).not.toThrow();
    expect(() => checkApply('jurisdiction')).not.toThrow();
    const issues = (value: unknown) => {
      try {
        checkApply(value);
      } catch (e) {
        return (e as ValidationError).issues;
      }
      throw new Error('accepted');
    };
    expect(issues('portfolio')).toEqual([
      {
        path: 'apply',
        message:
          "A portfolio's budget figures are its jurisdiction's: a save applies to every portfolio of the jurisdiction (apply=portfolio is no longer possible)",
      },
    ]);
    for (const bad of ['all', ['jurisdiction', 'x'], 1])
      expect(issues(bad)).toEqual([
        { path: 'apply', message: 'apply must be "jurisdiction" or absent' },
      ]);
  });
});
