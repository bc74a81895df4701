import { createHash } from 'node:crypto';

export interface CachedPage {
  /** UTF-8 bytes, encoded once: sending a cached page copies no string. */
  body: Buffer;
  etag: string;
}

/**
 * Rendered pages, least recently used out first, bounded by entry count and by total size.
 * A Map keeps insertion order: a hit is re-inserted at the end, eviction takes from the front.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Stores a page (unless it alone exceeds the size bound) and returns it with its ETag. */
  set(key: string, html: string): CachedPage {
    const body = Buffer.from(html, 'utf8');
    const page: CachedPage = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    };
    const size = body.length;
    if (size > this.maxBytes) return page;
    this.delete(key);
    this.entries.set(key, page);
    this.bytes += size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
    return page;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
  }
}
