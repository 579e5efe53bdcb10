// What is sent while the stream is down waits here, in order, until the
// server is back (resumed, or a new session under the same resource), or
// until its deadline: then the sender is told, instead of the stanza being
// silently lost. XEP-0198's own replay covers only what the old stream took.

/** A stanza that could not be handed to the server before its deadline. */
export class NotSentError extends Error {
  constructor(message = 'the connection to the server was down') {
    super(message);
    this.name = 'NotSentError';
  }
}

/** How long a stanza waits for the server to come back. */
export const OUTBOX_DEADLINE_MS = 8000;
/**
 * How long what ends a call waits: the user has moved on, but the peer must
 * still learn of it once the stream is back (or its device keeps ringing).
 */
export const PATIENT_DEADLINE_MS = 5 * 60_000;

export interface OutboxTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Outbox {
  /**
   * Runs `write` now when the stream is up and nothing waits before it;
   * otherwise queues it. Resolves once written, rejects with NotSentError
   * after the deadline (`deadlineMs`, else the outbox's).
   */
  send(write: () => Promise<void>, deadlineMs?: number): Promise<void>;
  /** Queues a write ahead of the others (a stanza the old stream took but never acknowledged). */
  resend(write: () => Promise<void>): void;
  /** The stream is up again: writes what waits, in order. */
  flush(): Promise<void>;
  /** Rejects everything that waits (logging out). */
  clear(): void;
  readonly waiting: number;
}

interface Entry {
  write: () => Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  timer: unknown;
}

export function createOutbox(options: { isUp: () => boolean; deadlineMs?: number; timers?: OutboxTimers }): Outbox {
  const deadlineMs = options.deadlineMs ?? OUTBOX_DEADLINE_MS;
  const timers: OutboxTimers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
  const queue: Entry[] = [];
  let flushing = false;
  /** How many resent writes stand at the front, in the order they were resent. */
  let resent = 0;

  function enqueue(write: () => Promise<void>, front: boolean, ms = deadlineMs): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Entry = { write, resolve, reject, timer: undefined };
      entry.timer = timers.setTimeout(() => {
        const i = queue.indexOf(entry);
        if (i >= 0) queue.splice(i, 1);
        if (i >= 0 && i < resent) resent--;
        reject(new NotSentError());
      }, ms);
      if (front) queue.splice(resent++, 0, entry);
      else queue.push(entry);
    });
  }

  const outbox: Outbox = {
    async send(write, ms) {
      if (!options.isUp() || queue.length || flushing) return enqueue(write, false, ms);
      try {
        await write();
      } catch {
        // The stream went down under us: this one waits for the next.
        return enqueue(write, false, ms);
      }
    },
    resend(write) {
      enqueue(write, true).catch(() => undefined);
    },
    async flush() {
      if (flushing) return;
      flushing = true;
      resent = 0;
      try {
        while (queue.length && options.isUp()) {
          const entry = queue[0]!;
          try {
            await entry.write();
          } catch {
            return; // Down again: it keeps its place and its deadline.
          }
          queue.shift();
          resent = Math.max(0, resent - 1);
          timers.clearTimeout(entry.timer);
          entry.resolve();
        }
      } finally {
        flushing = false;
      }
    },
    clear() {
      for (const entry of queue.splice(0)) {
        timers.clearTimeout(entry.timer);
        entry.reject(new NotSentError('logged out'));
      }
    },
    get waiting() {
      return queue.length;
    },
  };
  return outbox;
}
