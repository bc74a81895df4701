import { createHash, randomBytes } from 'node:crypto';

/** Every personal access token starts with this, so a leaked one is easy to recognise and scan for. */
export const TOKEN_PREFIX = 'fmx_';
const TOKEN_PATTERN = /^fmx_[A-Za-z0-9_-]{43}$/;

/** A new token: `fmx_` + 32 random bytes in base64url (43 characters). Shown once, never stored. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Whether the text has a token's shape (checked before any database look-up). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

/**
 * What the database stores of a token or a session id: SHA-256 as 64 hex digits. The secret has
 * 256 random bits, so a fast hash is enough (no salt or stretching is needed, unlike passwords).
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
