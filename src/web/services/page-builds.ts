/** A value built from stored data, with the data generation the build read. */
export interface Built<T> {
  generation: number;
  value: T;
}

interface Flight<T> {
  /** The generation the build reads: null while it waits for its turn (it will read a newer one). */
  generation: number | null;
  promise: Promise<Built<T>>;
}

interface Slot<T> {
  /** Reads the generation of what this key's page depends on. */
  current: () => number;
  running: Flight<T>;
  /** The one build that follows `running`, shared by everyone who needs newer data than it read. */
  queued: Promise<Built<T>> | null;
}

const ignore = (): void => undefined;

/**
 * Builds pages once however many ask for them, and one at a time.
 *
 * Single flight: concurrent requests for the same key share one build. A request that saw data
 * generation `seen` may join a build that reads generation `seen` or later (or has not started
 * reading yet), so what it gets is never older than what it saw: after an acknowledged write
 * every request sees the write. A request that needs newer data than the running build read
 * waits for the one build queued behind it, which every later request joins too: however many
 * writes land while a page is being built, at most one more build of it follows.
 *
 * Fair: builds run one after another, each starting in an event-loop turn of its own, so
 * requests answered from the cache (and other I/O) are served between two builds and one slow
 * page delays other builds by at most its own length, never the cached pages.
 */
export class PageBuilds<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly waiting: Array<() => void> = [];
  private busy = false;

  /** @param generation reads the current data generation (when a build starts) */
  constructor(private readonly generation: () => number) {}

  /**
   * The value under `key`, from data at generation `seen` or later, built by `build` if needed.
   * @param current reads the generation `seen` was read from, when a key depends on a scope of
   *   the data (default: the constructor's); one key always uses the same
   */
  get(
    key: string,
    seen: number,
    build: (generation: number) => Promise<T>,
    current: () => number = this.generation,
  ): Promise<Built<T>> {
    const slot = this.slots.get(key);
    if (!slot) {
      const fresh = { queued: null, current } as unknown as Slot<T>;
      this.slots.set(key, fresh);
      fresh.running = this.start(key, fresh, build);
      return fresh.running.promise;
    }
    const { running } = slot;
    if (running.generation === null || running.generation >= seen) return running.promise;
    if (slot.queued) return slot.queued;
    const queued = running.promise.then(ignore, ignore).then(() => {
      slot.queued = null;
      slot.running = this.start(key, slot, build);
      return slot.running.promise;
    });
    slot.queued = queued;
    return queued;
  }

  /** Keys being built or waiting to be (for tests and diagnostics). */
  get inFlight(): number {
    return this.slots.size;
  }

  private start(key: string, slot: Slot<T>, build: (generation: number) => Promise<T>): Flight<T> {
    const flight: Flight<T> = {
      generation: null,
      promise: undefined as unknown as Promise<Built<T>>,
    };
    flight.promise = this.inTurn(async () => {
      const generation = slot.current();
      flight.generation = generation;
      return { generation, value: await build(generation) };
    });
    const done = () => {
      if (this.slots.get(key) === slot && slot.running === flight && slot.queued === null)
        this.slots.delete(key);
    };
    flight.promise.then(done, done);
    return flight;
  }

  /** Runs `task` when no other build runs, in an event-loop turn of its own. */
  private inTurn<R>(task: () => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            this.busy = false;
            this.next();
          });
      });
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const task = this.waiting.shift();
    if (!task) return;
    this.busy = true;
    setImmediate(task);
  }
}
