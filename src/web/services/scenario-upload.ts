import { ValidationError } from '../../domain/errors';
import type { Store } from '../../store/store';
import { HISTORY_FORMAT, PORTFOLIOS_FORMAT, importFiles } from '../../store/transfer';

/** What an uploaded file became. */
export interface UploadResult {
  kind: 'scenario' | 'history';
  scenarioId: number;
  /** The scenario's version now: the one saved, or the current one when nothing was new. */
  versionNo: number;
  /** How many versions the upload created (0 when everything was stored already). */
  versionsCreated: number;
}

export interface UploadMeta {
  /** Who uploads (version author and audit actor). */
  actor: string;
  /** Comment of the version a scenario file becomes (default: "Imported from FILE" when the name is known). */
  comment?: string;
  /** The file's name, when it was read from a file. */
  fileName?: string;
}

const notValid = 'The file is not valid';

/**
 * Saves the text of a file a user uploads, through the same paths as the API and the command
 * line: a scenario file (`fundmix-scenario@2`, or `@1`, upgraded) is validated by the scenario schema and saved as
 * a new version of its scenario (creating the project and the scenario when they are new; no
 * version when the inputs equal the current ones); an exported scenario history
 * (`fundmix-scenario-history@1`) goes through the store's import, which adds the versions the
 * database does not have yet, exactly as exported. Portfolio files are left to the command line.
 * @throws ValidationError listing every problem with its JSON path (nothing is written then)
 * @throws ConflictError when the project or scenario was deleted
 */
export function uploadScenarioText(store: Store, text: string, meta: UploadMeta): UploadResult {
  const fileName = meta.fileName?.trim() || undefined;
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError(
      [{ path: '', message: `Not valid JSON: ${(err as Error).message}` }],
      notValid,
    );
  }
  const format =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as { format?: unknown }).format
      : undefined;

  if (format === HISTORY_FORMAT) {
    const name = fileName ?? 'history.json';
    let versionsCreated: number;
    try {
      versionsCreated = importFiles(store, [{ name, text }], {
        actor: meta.actor,
        via: 'upload',
      }).versionsCreated;
    } catch (err) {
      // The import names each problem "FILE: path"; there is one file here.
      if (err instanceof ValidationError) {
        throw new ValidationError(
          err.issues.map((i) => ({
            path:
              i.path === name
                ? ''
                : i.path.startsWith(`${name}: `)
                  ? i.path.slice(name.length + 2)
                  : i.path,
            message: i.message,
          })),
          notValid,
        );
      }
      throw err;
    }
    // Valid by now: the history names its project and scenario.
    const h = json as { project: { code: string }; scenario: { name: string } };
    const scenario = store.scenarios.get(h.project.code, h.scenario.name);
    return {
      kind: 'history',
      scenarioId: scenario.id,
      versionNo: scenario.currentVersionNo,
      versionsCreated,
    };
  }

  if (format === PORTFOLIOS_FORMAT) {
    throw new ValidationError(
      [
        {
          path: 'format',
          message:
            'A portfolios file cannot be imported here: use the command line (fundmix import)',
        },
      ],
      notValid,
    );
  }

  const comment = meta.comment?.trim()
    ? meta.comment
    : fileName
      ? `Imported from ${fileName}`
      : undefined;
  const saved = store.scenarios.save(json, { actor: meta.actor, comment });
  return {
    kind: 'scenario',
    scenarioId: saved.scenario.id,
    versionNo: saved.version.versionNo,
    versionsCreated: saved.created ? 1 : 0,
  };
}
