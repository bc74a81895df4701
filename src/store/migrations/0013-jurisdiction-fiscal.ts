import { auditAppender } from '../context';
import type { Db } from '../open';
import type { AuditEntity } from '../types';
import type { Migration } from './types';

const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const jsonText = (col: string, path: string) => `json_type(${col}, '${path}') = 'text'`;
const forecast = (col: string) => `json_valid(${col}) AND json_type(${col}) = 'object' AND (
      (json_extract(${col}, '$.method') = 'growth'
        AND json_type(${col}, '$.baseYear') = 'integer'
        AND ${jsonText(col, '$.baseAmountYuan')}
        AND ${jsonText(col, '$.growth')})
      OR (json_extract(${col}, '$.method') = 'explicit'
        AND json_type(${col}, '$.years') = 'array'
        AND json_array_length(${col}, '$.years') >= 1)
    )`;

/** Who the audit entries of this migration name as their author. */
export const MIGRATION_ACTOR = 'FundMix migration 13';

/**
 * One jurisdiction, one set of figures (issue 12, README "Fiscal settings"). The general budget
 * forecast, the government-fund budget forecast, the other PPP obligations and the new-bond
 * quotas are facts of a jurisdiction, not of a programme: they move from `portfolio_fiscal` (a
 * copy per portfolio) to `jurisdiction_fiscal` (one row per jurisdiction). A portfolio's fiscal
 * settings become its link to the jurisdiction it is measured against.
 *
 * The data step carries the history: for each jurisdiction named by portfolio settings, the
 * figures of the most recently saved settings (on a tie, the highest portfolio id) become the
 * jurisdiction's, audited `migrate` on entity `jurisdiction-fiscal` with the portfolio they came
 * from and the portfolios whose figures differed; each portfolio's settings are audited `migrate`
 * on `portfolio-fiscal` with their full state before (figures included, so nothing is lost from
 * the history) and the link after.
 */
export const migration: Migration = {
  id: 13,
  name: 'jurisdiction-fiscal',
  sql: `
CREATE TABLE jurisdiction_fiscal (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
  budget_json TEXT NOT NULL CHECK (${forecast('budget_json')}),
  other_obligations_json TEXT NOT NULL DEFAULT '[]' CHECK (
    json_valid(other_obligations_json) AND json_type(other_obligations_json) = 'array'
  ),
  fund_budget_json TEXT CHECK (fund_budget_json IS NULL OR (${forecast('fund_budget_json')})),
  bond_quotas_json TEXT NOT NULL DEFAULT '[]' CHECK (
    json_valid(bond_quotas_json) AND json_type(bond_quotas_json) = 'array'
  ),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')})
) STRICT;
`,
  run: moveFigures,
};

interface OldRow {
  portfolio_id: number;
  jurisdiction: string;
  budget_json: string;
  other_obligations_json: string;
  fund_budget_json: string | null;
  bond_quotas_json: string;
  updated_at: string;
}

/** The figures of a stored row, as the audit log records them (fund budget and quotas when entered). */
function figures(row: Omit<OldRow, 'portfolio_id' | 'jurisdiction' | 'updated_at'>) {
  return {
    budget: JSON.parse(row.budget_json) as unknown,
    otherObligations: JSON.parse(row.other_obligations_json) as unknown,
    ...(row.fund_budget_json === null
      ? {}
      : { fundBudget: JSON.parse(row.fund_budget_json) as unknown }),
    ...(row.bond_quotas_json === '[]'
      ? {}
      : { bondQuotas: JSON.parse(row.bond_quotas_json) as unknown }),
  };
}

const sameFigures = (a: OldRow, b: OldRow) =>
  a.budget_json === b.budget_json &&
  a.other_obligations_json === b.other_obligations_json &&
  a.fund_budget_json === b.fund_budget_json &&
  a.bond_quotas_json === b.bond_quotas_json;

function moveFigures(db: Db, at: string): void {
  const append = auditAppender(db);
  const audit = (entity: AuditEntity, entityId: number, details: Record<string, unknown>) =>
    append({
      actor: MIGRATION_ACTOR,
      action: 'migrate',
      entity,
      entityId,
      details: { via: 'migration', migration: 13, ...details },
      at,
      actorUserId: null,
      actorOrgId: null,
    });
  const rows = db.prepare('SELECT * FROM portfolio_fiscal ORDER BY portfolio_id').all() as OldRow[];
  const byJurisdiction = new Map<string, OldRow[]>();
  for (const r of rows)
    byJurisdiction.set(r.jurisdiction, [...(byJurisdiction.get(r.jurisdiction) ?? []), r]);
  const insert = db.prepare(
    `INSERT INTO jurisdiction_fiscal (name, budget_json, other_obligations_json, fund_budget_json,
       bond_quotas_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const chosen = new Map<string, { id: number; from: OldRow }>();
  for (const name of [...byJurisdiction.keys()].sort()) {
    const group = byJurisdiction.get(name)!;
    const from = group.reduce((best, r) =>
      r.updated_at > best.updated_at ||
      (r.updated_at === best.updated_at && r.portfolio_id > best.portfolio_id)
        ? r
        : best,
    );
    const row = insert.get(
      name,
      from.budget_json,
      from.other_obligations_json,
      from.fund_budget_json,
      from.bond_quotas_json,
      at,
      at,
    ) as { id: number };
    chosen.set(name, { id: row.id, from });
    audit('jurisdiction-fiscal', row.id, {
      from: { portfolioId: from.portfolio_id, updatedAt: from.updated_at },
      differing: group.filter((r) => !sameFigures(r, from)).map((r) => r.portfolio_id),
      before: null,
      state: { name, ...figures(from), createdAt: at, updatedAt: at },
    });
  }
  db.exec(`
ALTER TABLE portfolio_fiscal DROP COLUMN budget_json;
ALTER TABLE portfolio_fiscal DROP COLUMN other_obligations_json;
ALTER TABLE portfolio_fiscal DROP COLUMN fund_budget_json;
ALTER TABLE portfolio_fiscal DROP COLUMN bond_quotas_json;
`);
  const touch = db.prepare('UPDATE portfolio_fiscal SET updated_at = ? WHERE portfolio_id = ?');
  for (const r of rows) {
    touch.run(at, r.portfolio_id);
    const { id, from } = chosen.get(r.jurisdiction)!;
    audit('portfolio-fiscal', r.portfolio_id, {
      jurisdictionFiscalId: id,
      sameFigures: sameFigures(r, from),
      before: {
        portfolioId: r.portfolio_id,
        jurisdiction: r.jurisdiction,
        ...figures(r),
        updatedAt: r.updated_at,
      },
      state: { portfolioId: r.portfolio_id, jurisdiction: r.jurisdiction, updatedAt: at },
    });
  }
}
