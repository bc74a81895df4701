import type { Actor } from '../domain/access';
import type { Store } from '../store';
import { inputsToSave, readScenarioWorkbook } from '../store/xlsx/read-workbook';
import { asActor } from './actors';
import { authorise } from './errors';
import { newProjectResource, projectResource } from './resources';

/** What an imported workbook became. */
export interface WorkbookImported {
  scenarioId: number;
  /** The version saved, or the current one when the inputs equal it. */
  versionNo: number;
  /** False when the inputs equal the current version's (nothing was saved). */
  created: boolean;
}

export interface WorkbookImportMeta {
  /** The version's comment (default: "Imported from FILE" when the file's name is known). */
  comment?: string;
  fileName?: string;
}

/**
 * Imports a workbook (a filled template or an exported workbook) as a new version of the
 * scenario its Inputs sheet names, or a new scenario or project: read exactly and validated
 * like the API (README "Excel workbooks", Import), then allowed as a save of that project
 * (`scenario.write`; a new project as one the actor would create), saved and audited in one
 * transaction as the actor.
 * @throws ValidationError at `file` or at each refused cell (`Inputs!C12`); nothing is written
 * @throws NotFoundError / ForbiddenError when the actor may not save to the project named
 * @throws ConflictError when the project or scenario was deleted
 */
export async function importWorkbook(
  store: Store,
  actor: Actor,
  bytes: Uint8Array,
  meta: WorkbookImportMeta = {},
): Promise<WorkbookImported> {
  const input = await readScenarioWorkbook(bytes);
  const code = input.project.code.trim();
  if (store.accounts.projectOwnership(code) !== undefined)
    authorise(actor, 'scenario.write', projectResource(store, code), { what: 'Project', id: code });
  else
    authorise(
      actor,
      'scenario.write',
      newProjectResource(actor, input.project.jurisdiction ?? null),
      null,
    );
  const fileName = meta.fileName?.trim() || undefined;
  const comment = meta.comment?.trim()
    ? meta.comment
    : fileName
      ? `Imported from ${fileName}`
      : undefined;
  const saved = asActor(store, actor, () =>
    store.scenarios.save(inputsToSave(store, input), { actor: actor.username, comment }),
  );
  return {
    scenarioId: saved.scenario.id,
    versionNo: saved.version.versionNo,
    created: saved.created,
  };
}
