// When to validate one document: edits are coalesced into passes over the newest version, sized by
// what a pass costs, so validation keeps up with any typing speed and never runs once per keystroke.
import { performance } from 'node:perf_hooks';

/** A pass cheaper than this starts as soon as the edits stop arriving; a dearer one waits for a pause as long as itself. */
const CHEAP_PASS_MS = 100;
/** The longest pause a dear pass waits for. */
const MAX_PAUSE_MS = 1000;
/** Under edits that never pause, a pass still runs every this many times its cost (bounded below): at most a fifth of the time goes to validation. */
const MAX_WAIT_PER_PASS_COST = 4;
const MIN_MAX_WAIT_MS = 50;
const MAX_MAX_WAIT_MS = 2000;

export class PassScheduler {
  /** The next check, once a pass is requested: a turn of the event loop, or a timer for a pause. */
  private pending: { cancel(): void } | undefined;
  private run: (() => void) | undefined;
  /** Messages seen: a turn in which this did not grow brought no message about the document. */
  private messages = 0;
  private waitingSince: number | undefined;
  private lastEditAt = Number.NEGATIVE_INFINITY;
  /** What the last two passes cost. */
  private costs: [number, number] = [0, 0];

  /**
   * Runs `run` once for however many requests arrive meanwhile. The connection hands over one
   * message per turn of the event loop, so while a burst of edits is being read each turn brings
   * one: the pass waits for a turn without a message about the document, then runs on the newest
   * version. A dear pass (a huge file) also waits for a pause in the edits as long as it costs;
   * under edits that never pause it runs every few times its cost.
   */
  request(run: () => void, edit: boolean): void {
    const now = performance.now();
    if (edit) this.lastEditAt = now;
    this.messages++;
    this.waitingSince ??= now;
    this.run = run;
    // The first check comes in the turn this message is handled in, before the next message: it only looks again.
    if (!this.pending) this.checkNextTurn(-1);
  }

  /** Another message about the document (a hover, a completion): like an edit, it shows that a burst goes on. */
  noteMessage(): void {
    this.messages++;
  }

  /** A pass took `ms`: how long the next ones may wait. */
  passed(ms: number): void {
    this.costs = [this.costs[1], ms];
  }

  /** Resolves once there has been no edit for `quietMs` (at once when there has not), or when `signal` aborts. */
  async idle(quietMs: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      const rest = quietMs - (performance.now() - this.lastEditAt);
      if (rest <= 0 || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, rest);
        signal.addEventListener('abort', done, { once: true });
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  }

  cancel(): void {
    this.pending?.cancel();
    this.pending = undefined;
    this.run = undefined;
  }

  private checkNextTurn(seen: number): void {
    const immediate = setImmediate(() => this.check(seen));
    this.pending = { cancel: () => clearImmediate(immediate) };
  }

  private check(seen: number): void {
    this.pending = undefined;
    const now = performance.now();
    const overdue = now - (this.waitingSince ?? now) >= this.maxWait();
    if (!overdue) {
      if (this.messages !== seen) return this.checkNextTurn(this.messages);
      const pause = this.pause() - (now - this.lastEditAt);
      if (pause > 0) {
        const messages = this.messages;
        const timer = setTimeout(() => this.check(messages), pause);
        this.pending = { cancel: () => clearTimeout(timer) };
        return;
      }
    }
    this.waitingSince = undefined;
    const run = this.run;
    this.run = undefined;
    run?.();
  }

  /** What a pass costs: the lesser of the last two, so one slow pass (a cold start, a collection) makes nobody wait. */
  private cost(): number {
    return Math.min(this.costs[0], this.costs[1]);
  }

  private pause(): number {
    const cost = this.cost();
    return cost < CHEAP_PASS_MS ? 0 : Math.min(cost, MAX_PAUSE_MS);
  }

  private maxWait(): number {
    return Math.min(MAX_MAX_WAIT_MS, Math.max(MIN_MAX_WAIT_MS, MAX_WAIT_PER_PASS_COST * this.cost()));
  }
}
