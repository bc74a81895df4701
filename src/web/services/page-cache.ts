import { createHash } from 'node:crypto';

export interface CachedPage {
  /** UTF-8 bytes, encoded once: sending a cached page copies no string. */
  body: Buffer;
  etag: string;
  /** The data generation (`store.generation()`) the page was built from. */
  generation: number;
}

/**
 * Rendered pages, least recently used out first, bounded by entry count and by total size.
 * One entry per page key (path, language, unit, the parameters the page depends on), tagged
 * with the data generation it was built from: a page of an older generation is never served
 * (`get` answers only for a generation at least the one asked for) and is replaced by the next
 * build. A Map keeps insertion order: a hit is re-inserted at the end, eviction takes from the
 * front.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The page under this key if it was built from `generation` or later data. */
  get(key: string, generation: number): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.generation < generation) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /**
   * Stores a page built from `generation` (unless it alone exceeds the size bound, or a page of a
   * newer generation is there already) and returns it with its ETag.
   */
  set(key: string, generation: number, html: string): CachedPage {
    const body = Buffer.from(html, 'utf8');
    const page: CachedPage = {
      body,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      generation,
    };
    const size = body.length;
    const old = this.entries.get(key);
    if (size > this.maxBytes || (old && old.generation > generation)) return page;
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
