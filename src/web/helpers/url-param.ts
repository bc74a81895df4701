import { argumentError } from './page-context';

/** `href="/prefs?back={{urlParam currentUrl}}"`: a value encoded for a URL query or path part. */
export function urlParam(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number')
    throw argumentError('urlParam', 'a text or number', value);
  return encodeURIComponent(String(value));
}
