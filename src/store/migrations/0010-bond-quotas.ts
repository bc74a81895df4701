import type { Migration } from './types';

/**
 * What it costs the city (issue 12, README "What it costs the city"): a portfolio's fiscal
 * settings gain the government-fund budget forecast (政府性基金预算支出, which services special
 * bonds; same JSON shape as `budget_json`, null when not entered) and the jurisdiction's new-bond
 * quotas (新增债务限额) by year: `[{ year, specialBondYuan, generalBondYuan }]`, amounts as text.
 * Both are validated by the domain schemas before they are written and audited with the rest of
 * the settings (entity `portfolio-fiscal`).
 */
export const migration: Migration = {
  id: 10,
  name: 'bond-quotas',
  sql: `
ALTER TABLE portfolio_fiscal ADD COLUMN fund_budget_json TEXT CHECK (
  fund_budget_json IS NULL OR (
    json_valid(fund_budget_json) AND json_type(fund_budget_json) = 'object'
    AND json_extract(fund_budget_json, '$.method') IN ('growth', 'explicit')
  )
);
ALTER TABLE portfolio_fiscal ADD COLUMN bond_quotas_json TEXT NOT NULL DEFAULT '[]' CHECK (
  json_valid(bond_quotas_json) AND json_type(bond_quotas_json) = 'array'
);
`,
};
