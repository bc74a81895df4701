import { canonicalJson } from './canonical-json';
import { z } from 'zod';
import { FundMixError, ValidationError, type FieldIssue } from '../domain/errors';
import { toFieldIssues } from '../domain/scenario/parse';
import { SCENARIO_FORMAT, SCENARIO_FORMAT_V1, SECTORS } from '../domain/scenario/schema';
import { multiLineText, singleLineText } from '../domain/text';
import { checkActor, checkComment } from './context';
import type { DbProject, DbScenarioVersion } from './rows';
import { namesJurisdiction } from './repos/fiscal';
import { portfolioInputSchema } from './repos/portfolios';
import { prepareInputs } from './repos/scenarios';
import { storeInternals, type Store } from './store';
import type { PortfolioFiscalSettings, ProjectFields } from './types';

/** One scenario with its whole history: what `export` writes and `import` reads back unchanged. */
export const HISTORY_FORMAT = 'fundmix-scenario-history@1';
/** Named portfolios by project code and scenario name (also the demo seed's format). */
export const PORTFOLIOS_FORMAT = 'fundmix-portfolios@1';

/** A file to import or an exported file: a relative name and its text. */
export interface TransferFile {
  name: string;
  text: string;
}

const ISO_TIME = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-6]\d\.\d{3}Z$/;
const isoTime = z
  .string()
  .regex(ISO_TIME, { error: 'Expected a UTC time like 2026-01-31T09:30:00.000Z' });

/** Text kept exactly as exported (no trimming), under the text rule (src/domain/text.ts). */
const exactLine = (what: string, min: number, max: number) =>
  singleLineText(what, { min, max, trim: false });

const historySchema = z
  .object({
    format: z.literal(HISTORY_FORMAT),
    project: z
      .object({
        code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, {
          error: 'Project code must be letters, digits and dashes (max 40)',
        }),
        name: exactLine('Project name', 1, 200),
        nameEn: exactLine('English project name', 0, 200).nullable(),
        sector: z.enum(SECTORS),
        category: z.enum(['basic', 'market-oriented']),
        /**
         * Written by exports made before scenario format v2, when the delivery was the project's;
         * accepted and ignored: each version's inputs carry their scenario's delivery.
         */
        delivery: z.enum(['government', 'ppp', 'concession']).optional(),
        approvalDate: z.iso.date(),
        jurisdiction: exactLine('Jurisdiction', 0, 120).nullable(),
        deletedAt: isoTime.nullable(),
      })
      .strict(),
    scenario: z
      .object({
        name: exactLine('Scenario name', 1, 200),
        createdAt: isoTime,
        deletedAt: isoTime.nullable(),
      })
      .strict(),
    versions: z
      .array(
        z
          .object({
            versionNo: z.int().min(1),
            author: exactLine('Author', 1, 200),
            comment: multiLineText('Comment', { max: 4000 }),
            createdAt: isoTime,
            restoredFromVersionNo: z.int().min(1).nullable(),
            inputsHash: z.string().regex(/^[0-9a-f]{64}$/),
            inputs: z.unknown(),
          })
          .strict(),
      )
      .min(1, { error: 'A scenario history has at least one version' }),
  })
  .strict();
type History = z.output<typeof historySchema>;

/**
 * The portfolios file. Optional since issue 5: each portfolio's `fiscal` settings
 * (`{ jurisdiction, budget, otherObligations?, fundBudget?, bondQuotas? }`, validated by the
 * fiscal repository) and the top-level `jurisdictions` with their thresholds and (since
 * migration 0013) their fiscal figures (`fiscal`: the settings without `jurisdiction`). Files
 * without them stay valid.
 */
const portfoliosSchema = z
  .object({
    format: z.literal(PORTFOLIOS_FORMAT),
    portfolios: z.array(portfolioInputSchema.extend({ fiscal: z.unknown().optional() })),
    jurisdictions: z
      .array(
        z
          .object({
            name: z.unknown(),
            thresholds: z.unknown().optional(),
            fiscal: z.unknown().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export interface ImportOptions {
  /** Who imports (audit actor; author of versions made from plain scenario files). */
  actor: string;
  /** Comment for versions made from plain scenario files (default: "Imported from FILE"). */
  comment?: string;
  /** Recorded in audit entries (default "import"). */
  via?: string;
}

export interface ImportedFile {
  file: string;
  kind: 'scenario' | 'history' | 'portfolios';
  /** What happened, for people: "DEMO-IOT / Base: version 3 created". */
  summary: string;
  versionsCreated: number;
}

export interface ImportReport {
  files: ImportedFile[];
  versionsCreated: number;
  projectsCreated: number;
  scenariosCreated: number;
  portfoliosCreated: number;
  portfoliosUpdated: number;
  /** Portfolios whose fiscal settings the import created or changed. */
  fiscalSettingsWritten: number;
  /** Jurisdictions whose thresholds or fiscal figures the import created or changed. */
  jurisdictionsWritten: number;
}

const prefixed = (file: string, issues: FieldIssue[], at = ''): FieldIssue[] =>
  issues.map((i) => {
    const path = at && i.path ? `${at}.${i.path}` : at || i.path;
    return { path: path ? `${file}: ${path}` : file, message: i.message };
  });

/**
 * Imports scenario files, exported scenario histories and portfolio files, all or nothing, in
 * one transaction. Plain scenario files become new versions (skipped when identical to the
 * current one). A history creates the scenario with every version exactly as exported (author,
 * comment, time, inputs byte for byte); for a scenario that exists, the stored versions must be
 * the start of the exported ones, and only the missing ones are appended. Deletions recorded in
 * a history apply to projects and scenarios the import creates. Portfolio files are applied after
 * the scenarios: created, or updated to match; a file's jurisdiction thresholds are set first,
 * then each portfolio and its fiscal settings (a portfolio without `fiscal` keeps the settings
 * it has).
 * @throws ValidationError listing every problem in every file, prefixed with the file name;
 *   nothing is written then
 */
export function importFiles(
  store: Store,
  files: readonly TransferFile[],
  opts: ImportOptions,
): ImportReport {
  const actor = checkActor(opts.actor);
  const comment = opts.comment === undefined ? undefined : checkComment(opts.comment);
  const via = opts.via ?? 'import';
  const { ctx, projectWriter, scenarioWriter, portfolioWriter, fiscalWriter } =
    storeInternals(store);
  const report: ImportReport = {
    files: [],
    versionsCreated: 0,
    projectsCreated: 0,
    scenariosCreated: 0,
    portfoliosCreated: 0,
    portfoliosUpdated: 0,
    fiscalSettingsWritten: 0,
    jurisdictionsWritten: 0,
  };
  const issues: FieldIssue[] = [];

  // Parse everything first, so that portfolios can be applied after every scenario.
  const parsed: Array<{ file: string; kind: ImportedFile['kind']; json: unknown }> = [];
  for (const f of files) {
    let json: unknown;
    try {
      json = JSON.parse(f.text.replace(/^\uFEFF/, ''));
    } catch (err) {
      issues.push({ path: f.name, message: `Not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const format =
      typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
    if (format === HISTORY_FORMAT) parsed.push({ file: f.name, kind: 'history', json });
    else if (format === PORTFOLIOS_FORMAT) parsed.push({ file: f.name, kind: 'portfolios', json });
    else if (format === SCENARIO_FORMAT || format === SCENARIO_FORMAT_V1 || format === undefined)
      parsed.push({ file: f.name, kind: 'scenario', json });
    else {
      issues.push({
        path: `${f.name}: format`,
        message: `Unknown file format ${JSON.stringify(format)}: expected "${SCENARIO_FORMAT}" (or "${SCENARIO_FORMAT_V1}"), "${HISTORY_FORMAT}" or "${PORTFOLIOS_FORMAT}"`,
      });
    }
  }
  const order = { scenario: 0, history: 0, portfolios: 1 } as const;
  parsed.sort((a, b) => order[a.kind] - order[b.kind]);

  const projectsBefore = new Set<string>();
  const createdProjects = new Set<number>();
  // Deletions recorded in histories, applied once every version is in (a deleted scenario takes no versions).
  const scenarioDeletes: Array<{ code: string; name: string; deletedAt: string }> = [];
  const projectDeletes = new Map<string, string>();

  ctx.write(() => {
    for (const p of store.projects.list({ includeDeleted: true })) projectsBefore.add(p.code);
    for (const item of parsed) {
      try {
        ctx.write(() => {
          if (item.kind === 'scenario') importScenario(item.file, item.json);
          else if (item.kind === 'history') importHistory(item.file, item.json);
          else importPortfolios(item.file, item.json);
        });
      } catch (err) {
        if (err instanceof ValidationError) issues.push(...prefixed(item.file, err.issues));
        else if (err instanceof FundMixError)
          issues.push({ path: item.file, message: err.message });
        else throw err;
      }
    }
    if (issues.length === 0) {
      try {
        for (const d of scenarioDeletes)
          scenarioWriter.markDeleted(d.code, d.name, actor, ctx.now(), d.deletedAt);
        for (const [code, deletedAt] of projectDeletes)
          projectWriter.markDeleted(
            projectWriter.rowByCode(code) as DbProject,
            actor,
            ctx.now(),
            deletedAt,
          );
      } catch (err) {
        if (err instanceof FundMixError) issues.push({ path: '(import)', message: err.message });
        else throw err;
      }
    }
    report.projectsCreated = createdProjects.size;
    if (issues.length > 0) {
      throw new ValidationError(issues, `Nothing was imported: ${issues.length} problem(s) found`);
    }
  });
  return report;

  function noteCreated(projectCode: string, scenarioCreated: boolean): void {
    if (!projectsBefore.has(projectCode)) {
      const row = projectWriter.rowByCode(projectCode);
      if (row) createdProjects.add(row.id);
    }
    if (scenarioCreated) report.scenariosCreated++;
  }

  function importScenario(file: string, json: unknown): void {
    const prepared = prepareInputs(json);
    const { project, scenario } = prepared.scenario;
    const existed = projectWriter.rowByCode(project.code);
    const scenarioExisted = existed
      ? scenarioWriter.scenarioRow(existed.id, scenario.name)
      : undefined;
    const res = scenarioWriter.writeVersion({
      ...prepared,
      actor,
      comment: comment ?? `Imported from ${file}`,
      action: 'import',
      via,
      skipUnchanged: true,
    });
    noteCreated(project.code, !scenarioExisted);
    if (res.created) report.versionsCreated++;
    report.files.push({
      file,
      kind: 'scenario',
      versionsCreated: res.created ? 1 : 0,
      summary: `${project.code} / ${scenario.name}: ${res.created ? `version ${res.version.versionNo} created` : `unchanged (version ${res.version.versionNo})`}`,
    });
  }

  function importHistory(file: string, json: unknown): void {
    const checked = historySchema.safeParse(json);
    if (!checked.success) throw new ValidationError(toFieldIssues(checked.error));
    const h: History = checked.data;
    const problems: FieldIssue[] = [];
    const prepared = h.versions.map((v, i) => {
      const at = `versions[${i}]`;
      if (v.versionNo !== i + 1)
        problems.push({
          path: `${at}.versionNo`,
          message: `Expected version ${i + 1}, found ${v.versionNo}`,
        });
      if (v.restoredFromVersionNo !== null && v.restoredFromVersionNo >= v.versionNo) {
        problems.push({
          path: `${at}.restoredFromVersionNo`,
          message: 'A version can only restore an earlier version',
        });
      }
      try {
        const p = prepareInputs(v.inputs, { keepFormat: true });
        if (p.inputsHash !== v.inputsHash)
          problems.push({
            path: `${at}.inputsHash`,
            message: 'The inputs do not match their recorded hash: the file was altered',
          });
        if (
          p.scenario.project.code !== h.project.code ||
          p.scenario.scenario.name !== h.scenario.name
        ) {
          problems.push({
            path: `${at}.inputs`,
            message: `The inputs belong to ${p.scenario.project.code} / ${p.scenario.scenario.name}, not to this scenario`,
          });
        }
        return p;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        problems.push(
          ...err.issues.map((x) => ({
            path: x.path ? `${at}.inputs.${x.path}` : `${at}.inputs`,
            message: x.message,
          })),
        );
        return null;
      }
    });
    if (problems.length > 0) throw new ValidationError(problems);

    const at = ctx.now();
    const { deletedAt: projectDeletedAt, delivery: _legacy, ...projectFields } = h.project;
    const fields: ProjectFields = projectFields;
    // A deleted project keeps its fields; its history can still be re-imported when nothing is new.
    const stored = projectWriter.rowByCode(fields.code);
    const projectRow =
      stored && stored.deleted_at !== null
        ? stored
        : projectWriter.upsert(fields, actor, at, via).row;
    const scenarioRow = scenarioWriter.scenarioRow(projectRow.id, h.scenario.name);
    const scenarioCreated = !scenarioRow;
    const existing = scenarioRow ? scenarioWriter.versionRows(scenarioRow.id) : [];
    const byNo = new Map<number, DbScenarioVersion>(existing.map((r) => [r.version_no, r]));
    existing.forEach((row, i) => {
      const v = h.versions[i];
      const restoredNo =
        row.restored_from_id === null
          ? null
          : ([...byNo.values()].find((x) => x.id === row.restored_from_id)?.version_no ?? -1);
      if (
        !v ||
        v.inputsHash !== row.inputs_hash ||
        v.author !== row.author ||
        v.comment !== row.comment ||
        v.createdAt !== row.created_at ||
        v.restoredFromVersionNo !== restoredNo
      ) {
        problems.push({
          path: v ? `versions[${i}]` : 'versions',
          message: `The stored scenario ${h.project.code} / ${h.scenario.name} has a different version ${row.version_no} (or more versions) than this file: histories diverged`,
        });
      }
    });
    if (problems.length > 0) throw new ValidationError(problems.slice(0, 1));

    let created = 0;
    h.versions.slice(existing.length).forEach((v, k) => {
      const i = existing.length + k;
      const p = prepared[i]!;
      const restoredFromId =
        v.restoredFromVersionNo === null ? null : (byNo.get(v.restoredFromVersionNo)?.id ?? null);
      const res = scenarioWriter.writeVersion({
        ...p,
        actor,
        comment: v.comment,
        author: v.author,
        createdAt: v.createdAt,
        restoredFromId,
        scenarioCreatedAt: h.scenario.createdAt,
        action: 'import',
        via,
        skipUnchanged: false,
        updateProject: false,
      });
      const row = scenarioWriter.versionRows(res.scenario.id).at(-1)!;
      byNo.set(row.version_no, row);
      created++;
    });
    noteCreated(h.project.code, scenarioCreated);
    report.versionsCreated += created;
    if (scenarioCreated && h.scenario.deletedAt !== null) {
      scenarioDeletes.push({
        code: h.project.code,
        name: h.scenario.name,
        deletedAt: h.scenario.deletedAt,
      });
    }
    if (projectDeletedAt !== null && createdProjects.has(projectRow.id))
      projectDeletes.set(h.project.code, projectDeletedAt);
    report.files.push({
      file,
      kind: 'history',
      versionsCreated: created,
      summary: `${h.project.code} / ${h.scenario.name}: ${created} of ${h.versions.length} version(s) imported${existing.length ? ` (${existing.length} already present)` : ''}`,
    });
  }

  function importPortfolios(file: string, json: unknown): void {
    const checked = portfoliosSchema.safeParse(json);
    if (!checked.success) throw new ValidationError(toFieldIssues(checked.error));
    const problems: FieldIssue[] = [];
    const outcomes: string[] = [];
    const jurisdictions: string[] = [];
    const fail = (err: unknown, at: string) => {
      if (err instanceof ValidationError)
        problems.push(...err.issues.map((x) => ({ path: `${at}.${x.path}`, message: x.message })));
      else if (err instanceof FundMixError) problems.push({ path: at, message: err.message });
      else throw err;
    };
    // A jurisdiction has one set of figures: entries of the file naming it must agree.
    const figuresSeen = new Map<string, { at: string; json: string }>();
    const sameFigures = (name: string, at: string) => {
      const {
        id: _id,
        createdAt: _c,
        updatedAt: _u,
        ...figures
      } = store.fiscal.getJurisdictionFiscal(name)!;
      const json = canonicalJson(figures);
      const seen = figuresSeen.get(figures.jurisdiction);
      if (!seen) figuresSeen.set(figures.jurisdiction, { at, json });
      else if (seen.json !== json)
        problems.push({
          path: at,
          message: `The figures for ${figures.jurisdiction} differ from those of ${seen.at}: a jurisdiction has one set of budget figures, whichever portfolio names it`,
        });
    };
    (checked.data.jurisdictions ?? []).forEach((j, i) => {
      // The repository names the field `jurisdiction`; in this file it is `name`.
      const named = (err: unknown, within: string) =>
        err instanceof ValidationError
          ? new ValidationError(
              err.issues.map((x) => ({
                ...x,
                path: x.path === 'jurisdiction' ? 'name' : `${within}.${x.path}`,
              })),
            )
          : err;
      const done: string[] = [];
      let written = false;
      if (j.thresholds !== undefined || j.fiscal === undefined) {
        try {
          const outcome = fiscalWriter.upsertThresholds(j.name as string, j.thresholds, actor, via);
          done.push(outcome);
          written ||= outcome !== 'unchanged';
        } catch (err) {
          fail(named(err, 'thresholds'), `jurisdictions[${i}]`);
        }
      }
      if (namesJurisdiction(j.fiscal))
        problems.push({
          path: `jurisdictions[${i}].fiscal.jurisdiction`,
          message: "The jurisdiction is the entry's name: leave it out of fiscal",
        });
      else if (j.fiscal !== undefined) {
        try {
          const outcome = fiscalWriter.upsertJurisdictionFiscal(
            j.name as string,
            j.fiscal,
            actor,
            via,
          );
          done.push(`fiscal figures ${outcome}`);
          written ||= outcome !== 'unchanged';
          sameFigures(j.name as string, `jurisdictions[${i}].fiscal`);
        } catch (err) {
          fail(named(err, 'fiscal'), `jurisdictions[${i}]`);
        }
      }
      if (written) report.jurisdictionsWritten++;
      jurisdictions.push(`"${String(j.name)}" ${done.join(', ')}`);
    });
    checked.data.portfolios.forEach(({ fiscal, ...p }, i) => {
      try {
        const { portfolio, outcome } = portfolioWriter.upsert(p, actor, via);
        if (outcome === 'created') report.portfoliosCreated++;
        if (outcome === 'updated') report.portfoliosUpdated++;
        let fiscalOutcome = '';
        if (fiscal !== undefined) {
          try {
            const written = fiscalWriter.upsertSettings(portfolio.id, fiscal, actor, via);
            if (written !== 'unchanged') report.fiscalSettingsWritten++;
            fiscalOutcome = ` (fiscal settings ${written})`;
            const { jurisdiction } = store.fiscal.getSettings(portfolio.id)!;
            sameFigures(jurisdiction, `portfolios[${i}].fiscal`);
          } catch (err) {
            fail(err, `portfolios[${i}].fiscal`);
          }
        }
        outcomes.push(`"${p.name}" ${outcome}${fiscalOutcome}`);
      } catch (err) {
        if (err instanceof ValidationError)
          problems.push(
            ...err.issues.map((x) => ({ path: `portfolios[${i}].${x.path}`, message: x.message })),
          );
        else if (err instanceof FundMixError)
          problems.push({ path: `portfolios[${i}]`, message: err.message });
        else throw err;
      }
    });
    if (problems.length > 0) throw new ValidationError(problems);
    report.files.push({
      file,
      kind: 'portfolios',
      versionsCreated: 0,
      summary: `portfolios: ${outcomes.join(', ') || 'none'}${jurisdictions.length ? `; jurisdictions: ${jurisdictions.join(', ')}` : ''}`,
    });
  }
}

export interface ExportOptions {
  /** Only this project's scenarios (and no portfolios file). */
  projectCode?: string;
}

function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/^\.+/, '')
    .slice(0, 80);
  return cleaned || 'scenario';
}

/**
 * Exports every scenario (deleted ones too) as one history file each, `PROJECT/SCENARIO.json`,
 * plus `portfolios.json` with the live portfolios (and their fiscal settings) and the
 * jurisdictions' thresholds when exporting everything. Importing the files
 * into an empty database reproduces every scenario and version byte for byte. Deterministic:
 * the same database always exports the same text.
 * @throws NotFoundError for an unknown `projectCode`
 */
export function exportFiles(store: Store, opts: ExportOptions = {}): TransferFile[] {
  const { scenarioWriter } = storeInternals(store);
  const projects =
    opts.projectCode !== undefined
      ? [store.projects.get(opts.projectCode)]
      : store.projects.list({ includeDeleted: true });
  const out: TransferFile[] = [];
  for (const project of projects) {
    const used = new Set<string>();
    for (const s of store.scenarios.list({ projectCode: project.code, includeDeleted: true })) {
      const rows = scenarioWriter.versionRows(s.id);
      const noById = new Map(rows.map((r) => [r.id, r.version_no]));
      const history: History = {
        format: HISTORY_FORMAT,
        project: {
          code: project.code,
          name: project.name,
          nameEn: project.nameEn,
          sector: project.sector,
          category: project.category,
          approvalDate: project.approvalDate,
          jurisdiction: project.jurisdiction,
          deletedAt: project.deletedAt,
        },
        scenario: { name: s.name, createdAt: s.createdAt, deletedAt: s.deletedAt },
        versions: rows.map((r) => ({
          versionNo: r.version_no,
          author: r.author,
          comment: r.comment,
          createdAt: r.created_at,
          restoredFromVersionNo:
            r.restored_from_id === null ? null : (noById.get(r.restored_from_id) ?? null),
          inputsHash: r.inputs_hash,
          inputs: JSON.parse(r.inputs_json) as unknown,
        })),
      };
      let base = safeFileName(s.name);
      for (let n = 2; used.has(base.toLowerCase()); n++) base = `${safeFileName(s.name)}-${n}`;
      used.add(base.toLowerCase());
      out.push({
        name: `${safeFileName(project.code)}/${base}.json`,
        text: `${JSON.stringify(history, null, 2)}\n`,
      });
    }
  }
  if (opts.projectCode === undefined) {
    const portfolios = store.portfolios.list();
    const thresholdsByName = new Map(store.fiscal.listJurisdictions().map((j) => [j.name, j]));
    const figuresByName = new Map(
      store.fiscal.listJurisdictionFiscal().map((f) => [f.jurisdiction, f]),
    );
    // Every jurisdiction with thresholds or figures, by name (as each list is).
    const jurisdictions = [...new Set([...thresholdsByName.keys(), ...figuresByName.keys()])].sort(
      (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    );
    if (portfolios.length > 0 || jurisdictions.length > 0) {
      const body = {
        format: PORTFOLIOS_FORMAT,
        portfolios: portfolios.map((p) => {
          const fiscal = store.fiscal.getSettings(p.id);
          return {
            name: p.name,
            description: p.description,
            members: p.members.map((m) => ({
              projectCode: m.projectCode,
              scenarioName: m.scenarioName,
            })),
            ...(fiscal ? { fiscal: exportedFigures(fiscal) } : {}),
          };
        }),
        ...(jurisdictions.length > 0
          ? {
              jurisdictions: jurisdictions.map((name) => {
                const thresholds = thresholdsByName.get(name);
                const figures = figuresByName.get(name);
                return {
                  name,
                  ...(thresholds ? { thresholds: thresholds.thresholds } : {}),
                  ...(figures
                    ? {
                        fiscal: (({ jurisdiction: _j, ...rest }) => rest)(exportedFigures(figures)),
                      }
                    : {}),
                };
              }),
            }
          : {}),
      };
      out.push({ name: 'portfolios.json', text: `${JSON.stringify(body, null, 2)}\n` });
    }
  }
  return out;
}

/**
 * A jurisdiction's figures as the portfolios file writes them: other obligations, the fund budget
 * and the quotas only when entered.
 */
function exportedFigures(f: Omit<PortfolioFiscalSettings, 'portfolioId' | 'updatedAt'>) {
  return {
    jurisdiction: f.jurisdiction,
    budget: f.budget,
    ...(f.otherObligations.length > 0 ? { otherObligations: f.otherObligations } : {}),
    ...(f.fundBudget !== null ? { fundBudget: f.fundBudget } : {}),
    ...(f.bondQuotas.length > 0 ? { bondQuotas: f.bondQuotas } : {}),
  };
}
