import fc from 'fast-check';
import {
  ACTION_NAMES,
  ACTIONS,
  MATRIX,
  MATRIX_ROLES,
  ROLES,
  decide,
  roleFitsOrg,
  actorJurisdictions,
  type AccessResource,
  type Action,
  type Actor,
  type Decision,
  type OrgKind,
  type Role,
} from '../../../src/domain/access';

const CITY = '示范市 Demo City';
const OTHER = '邻市 Other City';

function actor(
  username: string,
  orgId: number,
  orgKind: OrgKind,
  jurisdiction: string | null,
  roles: Role[],
  readOnly = false,
): Actor {
  return {
    userId: orgId * 100 + roles.length,
    username,
    orgId,
    orgKind,
    jurisdictions: actorJurisdictions(orgKind, jurisdiction),
    roles,
    via: readOnly ? 'token' : 'session',
    readOnly,
  };
}

// Organisations: bureau 1 (CITY), bureau 2 (OTHER), enterprises 10 and 11, audit office 20 (CITY).
const analyst = actor('analyst', 1, 'bureau', CITY, ['bureau-analyst']);
const approver = actor('approver', 1, 'bureau', CITY, ['bureau-approver']);
const otherAnalyst = actor('other-analyst', 2, 'bureau', OTHER, ['bureau-analyst']);
const otherApprover = actor('other-approver', 2, 'bureau', OTHER, ['bureau-approver']);
// An enterprise registered in CITY still sees no bureau work: its jurisdictions are empty.
const entA = actor('ent-a', 10, 'enterprise', CITY, ['enterprise-analyst']);
const entB = actor('ent-b', 11, 'enterprise', null, ['enterprise-analyst']);
const auditor = actor('auditor', 20, 'audit', CITY, ['auditor']);
const admin = actor('admin', 1, 'bureau', CITY, ['admin']);

const bureauProject: AccessResource = { ownerOrgId: 1, heldByJurisdiction: CITY, filedTo: [] };
const otherBureauProject: AccessResource = {
  ownerOrgId: 2,
  heldByJurisdiction: OTHER,
  filedTo: [],
};
const entDraft: AccessResource = { ownerOrgId: 10, heldByJurisdiction: null, filedTo: [] };
const entFiled: AccessResource = { ownerOrgId: 10, heldByJurisdiction: null, filedTo: [CITY] };
const portfolio: AccessResource = { ownerOrgId: null, heldByJurisdiction: CITY, filedTo: [] };
const cityThresholds: AccessResource = {
  ownerOrgId: null,
  heldByJurisdiction: CITY,
  filedTo: [],
};
const otherThresholds: AccessResource = {
  ownerOrgId: null,
  heldByJurisdiction: OTHER,
  filedTo: [],
};

type Case = [string, Actor, Action, AccessResource | null, Decision];

// Each line restates a sentence of issue 10's role descriptions.
const cases: Case[] = [
  // bureau-analyst: reads and writes the projects, scenarios and portfolios of its jurisdiction
  ['analyst reads its bureau project', analyst, 'project.read', bureauProject, 'allow'],
  ['analyst writes its bureau project', analyst, 'project.write', bureauProject, 'allow'],
  ['analyst saves a scenario', analyst, 'scenario.write', bureauProject, 'allow'],
  ['analyst reads its portfolio', analyst, 'portfolio.read', portfolio, 'allow'],
  ['analyst writes its portfolio', analyst, 'portfolio.write', portfolio, 'allow'],
  ['analyst runs its portfolio risk', analyst, 'portfolio.risk', portfolio, 'allow'],
  ['analyst optimises its portfolio', analyst, 'plan.optimise', portfolio, 'allow'],
  ['approver optimises its portfolio', approver, 'plan.optimise', portfolio, 'allow'],
  ['other bureau: plan not found', otherAnalyst, 'plan.optimise', portfolio, 'not-found'],
  ['enterprise: plan not found', entA, 'plan.optimise', portfolio, 'not-found'],
  ['auditor reads but does not optimise', auditor, 'plan.optimise', portfolio, 'forbidden'],
  ['admin: plan not found', admin, 'plan.optimise', portfolio, 'not-found'],
  ['analyst: another city is not found', analyst, 'project.read', otherBureauProject, 'not-found'],
  ['analyst: no write in another city', analyst, 'project.write', otherBureauProject, 'not-found'],
  ['analyst cannot approve', analyst, 'filing.approve', entFiled, 'forbidden'],
  ['analyst cannot review', analyst, 'filing.review', entFiled, 'forbidden'],
  ['analyst sets no budget', analyst, 'budget.write', portfolio, 'forbidden'],
  ['analyst sets no thresholds', analyst, 'threshold.write', cityThresholds, 'forbidden'],
  ['analyst reads no audit log', analyst, 'audit.read', null, 'forbidden'],
  ['analyst adds no users', analyst, 'user.admin', null, 'forbidden'],
  // a bureau sees an enterprise's scenario once it is filed to that bureau
  ['analyst: enterprise draft not found', analyst, 'project.read', entDraft, 'not-found'],
  ['analyst reads a filing to its bureau', analyst, 'project.read', entFiled, 'allow'],
  ['analyst comments on a filing', analyst, 'filing.comment', entFiled, 'allow'],
  ['analyst does not edit a filing', analyst, 'scenario.write', entFiled, 'forbidden'],
  ['other bureau: filing not found', otherAnalyst, 'project.read', entFiled, 'not-found'],
  // bureau-approver: also approves or returns filings, sets budgets, quotas and thresholds
  ['approver approves a filing to it', approver, 'filing.approve', entFiled, 'allow'],
  ['approver returns a filing to it', approver, 'filing.review', entFiled, 'allow'],
  ['approver approves its own bureau work', approver, 'filing.approve', bureauProject, 'allow'],
  ['other approver: not found', otherApprover, 'filing.approve', entFiled, 'not-found'],
  ['approver: enterprise draft not found', approver, 'filing.approve', entDraft, 'not-found'],
  ['approver sets the budget', approver, 'budget.write', portfolio, 'allow'],
  ['approver runs its portfolio risk', approver, 'portfolio.risk', portfolio, 'allow'],
  ['approver sets its thresholds', approver, 'threshold.write', cityThresholds, 'allow'],
  ['approver: not another city', approver, 'threshold.write', otherThresholds, 'forbidden'],
  ['approver writes its projects', approver, 'project.write', bureauProject, 'allow'],
  ['approver adds no users', approver, 'user.admin', null, 'forbidden'],
  // enterprise-analyst: only its own organisation's projects; files them; 404 for others
  ['enterprise reads its draft', entA, 'project.read', entDraft, 'allow'],
  ['enterprise writes its draft', entA, 'project.write', entDraft, 'allow'],
  ['enterprise saves a scenario', entA, 'scenario.write', entDraft, 'allow'],
  ['enterprise files its version', entA, 'version.file', entDraft, 'allow'],
  ['enterprise re-runs its version', entA, 'result.rerun', entFiled, 'allow'],
  ['enterprise comments on its filing', entA, 'filing.comment', entFiled, 'allow'],
  ['enterprise approves nothing', entA, 'filing.approve', entFiled, 'forbidden'],
  ['other enterprise: not found', entB, 'project.read', entDraft, 'not-found'],
  ['other enterprise: filed is not found', entB, 'project.read', entFiled, 'not-found'],
  ['other enterprise: no write, not found', entB, 'scenario.write', entFiled, 'not-found'],
  ['enterprise: bureau project not found', entA, 'project.read', bureauProject, 'not-found'],
  ['enterprise: portfolio not found', entA, 'portfolio.read', portfolio, 'not-found'],
  ['enterprise: no portfolio risk run', entA, 'portfolio.risk', portfolio, 'not-found'],
  ['enterprise sets no thresholds', entA, 'threshold.write', cityThresholds, 'forbidden'],
  // auditor: reads everything of its jurisdiction's bureau and everything filed to it, the audit
  // log and the re-runs; comments; changes no model
  ['auditor reads the bureau project', auditor, 'project.read', bureauProject, 'allow'],
  ['auditor reads a filing', auditor, 'project.read', entFiled, 'allow'],
  ['auditor reads a portfolio', auditor, 'portfolio.read', portfolio, 'allow'],
  ['auditor re-runs a filing', auditor, 'result.rerun', entFiled, 'allow'],
  ['auditor runs portfolio risk', auditor, 'portfolio.risk', portfolio, 'allow'],
  ['auditor comments', auditor, 'filing.comment', entFiled, 'allow'],
  ['auditor reads the audit log', auditor, 'audit.read', null, 'allow'],
  ['auditor verifies the chain', auditor, 'audit.verify', null, 'allow'],
  ['auditor changes no project', auditor, 'project.write', bureauProject, 'forbidden'],
  ['auditor changes no scenario', auditor, 'scenario.write', entFiled, 'forbidden'],
  ['auditor approves nothing', auditor, 'filing.approve', entFiled, 'forbidden'],
  ['auditor sets no budget', auditor, 'budget.write', portfolio, 'forbidden'],
  ['auditor: draft not found', auditor, 'project.read', entDraft, 'not-found'],
  ['auditor: another city not found', auditor, 'project.read', otherBureauProject, 'not-found'],
  // admin: users, organisations, tokens; no model writes of its own
  ['admin adds organisations', admin, 'org.admin', null, 'allow'],
  ['admin adds users', admin, 'user.admin', null, 'allow'],
  ['admin revokes tokens', admin, 'token.admin', null, 'allow'],
  ['admin restores backups', admin, 'backup.restore', null, 'allow'],
  ['admin writes no project', admin, 'project.write', bureauProject, 'not-found'],
  ['admin saves no scenario', admin, 'scenario.write', bureauProject, 'not-found'],
  ['admin: no portfolio risk run', admin, 'portfolio.risk', portfolio, 'not-found'],
  ['admin sets no thresholds', admin, 'threshold.write', cityThresholds, 'forbidden'],
  // monitoring (issue 12): the project's company and the bureau's analysts record actuals,
  // auditors read them
  ['analyst records actuals of its project', analyst, 'actuals.write', bureauProject, 'allow'],
  ['analyst records actuals of a filing', analyst, 'actuals.write', entFiled, 'allow'],
  ['enterprise records its actuals', entA, 'actuals.write', entDraft, 'allow'],
  ['other enterprise: actuals not found', entB, 'actuals.write', entDraft, 'not-found'],
  ['approver reads actuals', approver, 'actuals.read', bureauProject, 'allow'],
  ['approver records no actuals', approver, 'actuals.write', bureauProject, 'forbidden'],
  ['auditor reads actuals', auditor, 'actuals.read', entFiled, 'allow'],
  ['auditor records no actuals', auditor, 'actuals.write', bureauProject, 'forbidden'],
  ['admin: actuals not found', admin, 'actuals.read', bureauProject, 'not-found'],
  // evaluation (issue 12): analysts and admins save a jurisdiction's system; analysts and the
  // project's company enter its indicator data; approvers and auditors only read (the reads are
  // project.read and portfolio.read)
  ['analyst saves the city system', analyst, 'evaluation.write', cityThresholds, 'allow'],
  ['admin saves the city system', admin, 'evaluation.write', cityThresholds, 'allow'],
  ['approver saves no system', approver, 'evaluation.write', cityThresholds, 'forbidden'],
  ['auditor saves no system', auditor, 'evaluation.write', cityThresholds, 'forbidden'],
  ['enterprise saves no city system', entA, 'evaluation.write', cityThresholds, 'forbidden'],
  [
    'other city analyst: not its system',
    otherAnalyst,
    'evaluation.write',
    cityThresholds,
    'forbidden',
  ],
  ['analyst enters data of its project', analyst, 'evaluation.write', bureauProject, 'allow'],
  ['analyst enters data of a filing', analyst, 'evaluation.write', entFiled, 'allow'],
  ['enterprise enters its own data', entA, 'evaluation.write', entDraft, 'allow'],
  // (project.read is checked first, by the route and the use case: they answer 404 for it)
  ['other enterprise enters no data', entB, 'evaluation.write', entDraft, 'forbidden'],
  ['approver enters no data', approver, 'evaluation.write', bureauProject, 'forbidden'],
  ['auditor enters no data', auditor, 'evaluation.write', bureauProject, 'forbidden'],
  // tokens for oneself: every role
  ['an analyst makes their own token', analyst, 'token.self', null, 'allow'],
  ['an enterprise makes their own token', entA, 'token.self', null, 'allow'],
  ['an analyst manages no other tokens', analyst, 'token.admin', null, 'forbidden'],
];

describe('decide: the role descriptions of issue 10', () => {
  it.each(cases)('%s', (_, who, action, resource, expected) => {
    expect(decide(who, action, resource)).toBe(expected);
  });
});

describe('decide: tokens, several roles, no roles', () => {
  it('a read-only token reads but never writes', () => {
    const token = actor('ro', 1, 'bureau', CITY, ['bureau-approver'], true);
    expect(decide(token, 'project.read', bureauProject)).toBe('allow');
    expect(decide(token, 'result.rerun', bureauProject)).toBe('allow');
    expect(decide(token, 'project.write', bureauProject)).toBe('forbidden');
    expect(decide(token, 'budget.write', portfolio)).toBe('forbidden');
    expect(decide(token, 'portfolio.risk', portfolio)).toBe('forbidden');
    expect(decide(token, 'token.self', null)).toBe('forbidden');
    // What it may not see stays not found, even for a write.
    expect(decide(token, 'project.write', entDraft)).toBe('not-found');
  });

  it('several roles add up: an analyst who is also admin can do both', () => {
    const both = actor('both', 1, 'bureau', CITY, ['bureau-analyst', 'admin']);
    expect(decide(both, 'project.write', bureauProject)).toBe('allow');
    expect(decide(both, 'user.admin', null)).toBe('allow');
    expect(decide(both, 'filing.approve', entFiled)).toBe('forbidden');
  });

  it('a user without roles is refused everything, without learning what exists', () => {
    const none = actor('none', 1, 'bureau', CITY, []);
    expect(decide(none, 'project.read', bureauProject)).toBe('not-found');
    expect(decide(none, 'user.admin', null)).toBe('forbidden');
    expect(decide(none, 'token.self', null)).toBe('forbidden');
  });

  it('resource-bound rules never grant without a resource', () => {
    expect(decide(analyst, 'project.read', null)).toBe('forbidden');
    expect(decide(entA, 'project.write', null)).toBe('forbidden');
  });

  it('a project no organisation owns and no jurisdiction holds is seen by nobody', () => {
    const orphan: AccessResource = { ownerOrgId: null, heldByJurisdiction: null, filedTo: [] };
    const noOrg: Actor = { ...entA, orgId: null };
    for (const who of [analyst, approver, entA, auditor, admin, noOrg])
      expect(decide(who, 'project.read', orphan)).toBe('not-found');
  });
});

describe('the matrix', () => {
  it('has one row per action and one column per role, in ROLES order', () => {
    expect([...MATRIX_ROLES]).toEqual([...ROLES]);
    expect(Object.keys(MATRIX)).toEqual([...ACTION_NAMES]);
    expect(Object.keys(ACTIONS)).toEqual([...ACTION_NAMES]);
    for (const row of Object.values(MATRIX)) expect(row).toHaveLength(ROLES.length);
  });

  it('names a read action as what decides visibility, granted at least as widely', () => {
    for (const action of ACTION_NAMES) {
      const through = ACTIONS[action].visibleThrough;
      if (through === null) continue;
      expect(ACTIONS[through].writes).toBe(false);
      expect(ACTIONS[through].visibleThrough).toBe(through);
    }
  });

  const anyActor = fc.record({
    orgId: fc.constantFrom(1, 2, 10, 11, 20),
    orgKind: fc.constantFrom<OrgKind>('bureau', 'enterprise', 'audit'),
    jurisdiction: fc.constantFrom(CITY, OTHER, null),
    roles: fc.subarray([...ROLES]),
    readOnly: fc.boolean(),
  });
  const anyResource = fc.record({
    ownerOrgId: fc.constantFrom(1, 2, 10, 11, 20, null),
    heldByJurisdiction: fc.constantFrom(CITY, OTHER, null),
    filedTo: fc.subarray([CITY, OTHER]),
  });

  it('property: not-found only where the actor may not see the resource; allow never on a read-only write', () => {
    fc.assert(
      fc.property(
        anyActor,
        anyResource,
        fc.constantFrom(...ACTION_NAMES),
        (a, resource, action) => {
          const who = actor('x', a.orgId, a.orgKind, a.jurisdiction, a.roles, a.readOnly);
          const d = decide(who, action, resource);
          const through = ACTIONS[action].visibleThrough;
          if (d === 'not-found') {
            expect(through).not.toBeNull();
            expect(decide(who, through!, resource)).not.toBe('allow');
          }
          if (d === 'allow' && ACTIONS[action].writes) expect(who.readOnly).toBe(false);
          if (d === 'allow' && through !== null)
            expect(decide(who, through, resource)).toBe('allow');
        },
      ),
    );
  });
});

describe('roles and organisation kinds', () => {
  it.each([
    ['bureau-analyst', 'bureau', true],
    ['bureau-analyst', 'enterprise', false],
    ['bureau-approver', 'audit', false],
    ['enterprise-analyst', 'enterprise', true],
    ['enterprise-analyst', 'bureau', false],
    ['auditor', 'audit', true],
    ['auditor', 'bureau', false],
    ['admin', 'enterprise', true],
    ['admin', 'audit', true],
  ] as const)('%s in a %s: %s', (role, kind, fits) => {
    expect(roleFitsOrg(role, kind)).toBe(fits);
  });

  it('an enterprise watches no jurisdiction, a bureau and an audit office their own', () => {
    expect(actorJurisdictions('enterprise', CITY)).toEqual([]);
    expect(actorJurisdictions('bureau', CITY)).toEqual([CITY]);
    expect(actorJurisdictions('audit', OTHER)).toEqual([OTHER]);
  });
});
