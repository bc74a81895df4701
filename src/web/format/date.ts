import type { Lang } from './number';

/** Time zone timestamps are shown in: the users sit in China. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }),
};
const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: DISPLAY_TIME_ZONE,
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: DISPLAY_TIME_ZONE,
  }),
};

/**
 * A calendar date `YYYY-MM-DD` for the locale: zh "2025年3月1日", en "1 Mar 2025".
 * @throws TypeError when the text is not a real date
 */
export function formatDate(iso: unknown, lang: Lang): string {
  const m = typeof iso === 'string' ? DATE_RE.exec(iso) : null;
  const at = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !at || at.getUTCDate() !== Number(m[3]) || at.getUTCMonth() !== Number(m[2]) - 1)
    throw new TypeError(`expected a date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  return dateFormats[lang].format(at);
}

/**
 * An ISO timestamp shown in China time: zh "2025年3月1日 14:05", en "1 Mar 2025, 14:05".
 * @throws TypeError when the text is not a timestamp
 */
export function formatDateTime(iso: unknown, lang: Lang): string {
  const at = typeof iso === 'string' ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new TypeError(`expected an ISO timestamp, got ${JSON.stringify(iso)}`);
  return dateTimeFormats[lang].format(at);
}
