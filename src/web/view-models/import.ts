import type { FieldIssue } from '../../domain/errors';
import type { Lang } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import { commentFields, postedText, type CommentValues, type FormField } from './form-fields';

/** The import form as sent: the file's text (pasted, or read from a file by the page's script). */
export interface ImportForm extends CommentValues {
  text: string;
  /** The chosen file's name ('' for pasted text). */
  fileName: string;
}

/** Largest file the page's script reads; larger ones are for `fundmix import`. */
export const IMPORT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export const blankImportForm = (): ImportForm => ({
  text: '',
  fileName: '',
  comment: '',
});

export function importFormFromPost(body: unknown): ImportForm {
  return {
    text: postedText(body, 'text'),
    fileName: postedText(body, 'fileName'),
    comment: postedText(body, 'comment'),
  };
}

export interface ImportView {
  action: string;
  csrfToken: string;
  notice: string | null;
  /** "The file was not imported: 3 problem(s)…", null when nothing is wrong. */
  summary: string | null;
  /** Every problem in the file, with its JSON path ('' for the file as a whole). */
  problems: Array<{ path: string; message: string }>;
  text: string;
  fileName: string;
  textError: boolean;
  save: FormField[];
  /** The workbook upload form (issue 13): its problems are listed beside it, cell by cell. */
  workbook: WorkbookForm;
  /** Data for the page's script (reading a chosen file into the text box). */
  client: { maxBytes: number; messages: Record<'read' | 'tooLarge' | 'failed', string> };
}

/** Where the workbook form posts, and the template downloads. */
export const WORKBOOK_PATHS = {
  upload: '/import/workbook',
  template: '/import/template.xlsx',
} as const;

export interface WorkbookForm {
  action: string;
  fileLabel: string;
  notice: string | null;
  summary: string | null;
  /** Every refused cell (`Inputs!C12`, '' for the file as a whole) with its message. */
  problems: Array<{ path: string; message: string }>;
  templates: { blank: string; demo: string };
}

export interface ImportViewInput {
  form: ImportForm;
  /** Problems of an uploaded workbook (path `file` for the file as a whole). */
  workbookIssues?: readonly FieldIssue[];
  workbookNotice?: string | null;
  /** The size limit of an uploaded workbook, in bytes. */
  workbookMaxBytes: number;
  issues?: readonly FieldIssue[];
  csrfToken: string;
  notice?: string | null;
  lang: Lang;
  t: Translate;
}

/** The import page: the text box with what was sent, and every problem the file has. */
export function importView({
  form,
  issues = [],
  csrfToken,
  notice = null,
  workbookIssues = [],
  workbookNotice = null,
  workbookMaxBytes,
  lang,
  t,
}: ImportViewInput): ImportView {
  const byField = new Map<string, string>();
  const problems: ImportView['problems'] = [];
  for (const issue of issues) {
    const message = localizeIssue(issue.message, lang);
    // The store names the comment `comment`; everything else is in the file.
    if (issue.path === 'comment') byField.set('comment', message);
    else problems.push({ path: issue.path, message });
  }
  const count = problems.length + byField.size;
  return {
    action: '/import',
    csrfToken,
    notice,
    summary: count > 0 ? t('import.problems', { n: count }) : null,
    problems,
    text: form.text,
    fileName: form.fileName,
    textError: problems.length > 0,
    save: commentFields('import', form, (k) => byField.get(k) ?? null, t),
    workbook: workbookForm(workbookIssues, workbookNotice, workbookMaxBytes, lang, t),
    client: {
      maxBytes: IMPORT_MAX_FILE_BYTES,
      messages: {
        read: t('import.read', { name: '{name}', size: '{size}' }),
        tooLarge: t('import.tooLarge', {
          name: '{name}',
          max: `${IMPORT_MAX_FILE_BYTES / (1024 * 1024)} MB`,
        }),
        failed: t('import.failed', { name: '{name}' }),
      },
    },
  };
}

/** The workbook form of the import page, with the problems of the workbook last sent. */
function workbookForm(
  issues: readonly FieldIssue[],
  notice: string | null,
  maxBytes: number,
  lang: Lang,
  t: Translate,
): WorkbookForm {
  const problems = issues.map((i) => ({
    path: i.path === 'file' ? '' : i.path,
    message: localizeIssue(i.message, lang),
  }));
  return {
    action: WORKBOOK_PATHS.upload,
    fileLabel: t('workbookImport.file', { max: `${maxBytes / (1024 * 1024)} MB` }),
    notice,
    summary: problems.length > 0 ? t('workbookImport.problems', { n: problems.length }) : null,
    problems,
    templates: { blank: WORKBOOK_PATHS.template, demo: `${WORKBOOK_PATHS.template}?demo=1` },
  };
}
