import type { Migration } from './types';

const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
/** A JSON value that is text, never a JSON number: amounts and rates stay exact decimal strings. */
const jsonText = (col: string, path: string) => `json_type(${col}, '${path}') = 'text'`;

/**
 * Government fiscal analytics (issue 5): per-portfolio fiscal settings and per-jurisdiction
 * thresholds. Both hold JSON validated by the domain schemas (`budgetForecastSchema`,
 * `thresholdsSchema`) before it is written; the CHECKs here keep the shape and keep amounts as
 * text, so a behind-the-back edit cannot slip a binary number in. Every write is audited with the
 * row's full state (entities `portfolio-fiscal` and `jurisdiction`), like the other tables.
 *
 * - `portfolio_fiscal`: the jurisdiction whose budget the portfolio is measured against, its
 *   general public budget expenditure forecast and the jurisdiction's other PPP obligations
 *   already in force, by year (the affordability cap applies to all of the jurisdiction's PPP
 *   spending, not only this programme).
 * - `jurisdictions`: a jurisdiction's thresholds, every default filled in. A jurisdiction without
 *   a row uses the national defaults.
 */
export const migration: Migration = {
  id: 2,
  name: 'fiscal-settings',
  sql: `
CREATE TABLE portfolio_fiscal (
  portfolio_id INTEGER PRIMARY KEY REFERENCES portfolios (id),
  jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  budget_json TEXT NOT NULL CHECK (
    json_valid(budget_json) AND json_type(budget_json) = 'object' AND (
      (json_extract(budget_json, '$.method') = 'growth'
        AND json_type(budget_json, '$.baseYear') = 'integer'
        AND ${jsonText('budget_json', '$.baseAmountYuan')}
        AND ${jsonText('budget_json', '$.growth')})
      OR (json_extract(budget_json, '$.method') = 'explicit'
        AND json_type(budget_json, '$.years') = 'array'
        AND json_array_length(budget_json, '$.years') >= 1)
    )
  ),
  other_obligations_json TEXT NOT NULL DEFAULT '[]' CHECK (
    json_valid(other_obligations_json) AND json_type(other_obligations_json) = 'array'
  ),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')})
) STRICT;

CREATE TABLE jurisdictions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
  thresholds_json TEXT NOT NULL CHECK (
    json_valid(thresholds_json) AND json_type(thresholds_json) = 'object'
    AND ${jsonText('thresholds_json', '$.affordabilityCap')}
    AND ${jsonText('thresholds_json', '$.newProjectLine')}
    AND ${jsonText('thresholds_json', '$.bondCoverage')}
    AND json_type(thresholds_json, '$.maxConcessionYears') = 'integer'
  ),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')})
) STRICT;
CREATE INDEX portfolio_fiscal_by_jurisdiction ON portfolio_fiscal (jurisdiction);
`,
};
