import type { Store } from '../store';
import type { AuditReport } from '../store/types';

/** One verification of the audit history, as the auditor's pages show it. */
export interface ChainCheck {
  ok: boolean;
  /** Entries in the chain when it was read. */
  entries: number;
  headId: number | null;
  /** Hash of the newest entry (the genesis hash for an empty log). */
  headHash: string;
  /** The first entry at fault (see `AuditReport.firstBrokenEntryId`); null when ok or none can be named. */
  firstBrokenEntryId: number | null;
  /** What is wrong with it: the first problem's message (chain problems come first); null when ok. */
  firstProblem: string | null;
  /** That problem's code (`entry-altered`, `entry-missing`, `chain-broken`, `version-altered`, …). */
  firstProblemCode: string | null;
  /** How many problems verification found. */
  problems: number;
  /** When the verification started and finished (ISO times from the holder's clock). */
  startedAt: string;
  finishedAt: string;
}

/** Verification under way: entries checked so far out of those there were when it started. */
export interface ChainProgress {
  startedAt: string;
  entriesChecked: number;
}

/** What the holder knows now. */
export interface ChainStatusView {
  /** The latest finished verification; null before the first one finishes. */
  last: ChainCheck | null;
  /** The verification under way, if one is. */
  running: ChainProgress | null;
  /** The latest verification that could not be carried out (e.g. the database could not be read). */
  failure: { message: string; at: string } | null;
}

/**
 * Runs one verification of the whole history (`verifyAudit`), calling `onProgress` with the
 * entries checked so far now and then. In a worker thread for a served file (the server's
 * start-up must not wait for it, nor requests while it runs), or in-process.
 */
export type ChainVerifier = (onProgress: (entriesChecked: number) => void) => Promise<AuditReport>;

/** A finished report as the holder keeps it. */
export function chainCheckOf(
  report: AuditReport,
  startedAt: string,
  finishedAt: string,
): ChainCheck {
  const first = report.problems[0];
  return {
    ok: report.ok,
    entries: report.entries,
    headId: report.headId,
    headHash: report.headHash,
    firstBrokenEntryId: report.firstBrokenEntryId,
    firstProblem: first?.message ?? null,
    firstProblemCode: first?.code ?? null,
    problems: report.problems.length,
    startedAt,
    finishedAt,
  };
}

/**
 * The audit chain's status, kept in memory for the life of the server: verified once at
 * start-up and again whenever an auditor or administrator asks. At most one verification runs
 * at a time: asking while one runs joins it.
 */
export class ChainStatus {
  private last: ChainCheck | null = null;
  private running: ChainProgress | null = null;
  private pending: Promise<ChainCheck> | null = null;
  private failure: { message: string; at: string } | null = null;
  private finished = 0;

  /**
   * @param verify runs one verification
   * @param now the current time as ISO text
   */
  constructor(
    private readonly verify: ChainVerifier,
    private readonly now: () => string,
  ) {}

  /**
   * How many verifications have finished since the server started: what a page showing the
   * latest result (the broken-chain banner) depends on, e.g. in its cache key.
   */
  get version(): number {
    return this.finished;
  }

  /** What is known now; never waits. */
  view(): ChainStatusView {
    return {
      last: this.last,
      running: this.running === null ? null : { ...this.running },
      failure: this.failure,
    };
  }

  /**
   * Starts a verification, or joins the one under way, and resolves with its result.
   * @throws Error (rejects) when verification could not be carried out; `view().failure` says so
   */
  refresh(): Promise<ChainCheck> {
    this.pending ??= this.run().finally(() => {
      this.pending = null;
      this.running = null;
    });
    return this.pending;
  }

  private async run(): Promise<ChainCheck> {
    const startedAt = this.now();
    const progress: ChainProgress = { startedAt, entriesChecked: 0 };
    this.running = progress;
    try {
      const report = await this.verify((n) => (progress.entriesChecked = n));
      this.last = chainCheckOf(report, startedAt, this.now());
      this.failure = null;
      this.finished += 1;
      return this.last;
    } catch (err) {
      this.failure = { message: err instanceof Error ? err.message : String(err), at: this.now() };
      throw err;
    }
  }
}

/**
 * Verifies on this thread, after the current event-loop turn (so `refresh` returns first). It
 * holds up every request while it runs: for tests and in-memory databases; a served file is
 * verified in a worker thread (src/web/services/chain-verifier.ts).
 */
export function inProcessVerifier(store: Store): ChainVerifier {
  return (onProgress) =>
    new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(store.audit.verify({ onProgress }));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
}
