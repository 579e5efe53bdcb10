// Many changes, one redraw: a flush asked for any number of times before the
// next frame runs once, in that frame. A roster of thousands hears a presence,
// a capability answer or an avatar per stanza; drawing once per stanza is what
// froze the page when a crowd of devices came online together.

/** Runs `run` once, later; resolves nothing. */
export type Schedule = (run: () => void) => void;

/** A tab in the background draws no frames: its state still catches up this often. */
export const HIDDEN_TAB_MS = 250;

/** The next animation frame, or HIDDEN_TAB_MS from now where no frame comes (a hidden tab). */
export const nextFrame: Schedule = (run) => {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const once = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  frame = requestAnimationFrame(once);
  timer = setTimeout(once, HIDDEN_TAB_MS);
};

export interface FrameBatch {
  /** Asks for the flush; however often asked before it runs, it runs once. */
  request(): void;
  /** Runs an asked-for flush now, rather than at the frame. */
  flushNow(): void;
  /** Whether a flush was asked for and has not run yet. */
  readonly pending: boolean;
}

export function createFrameBatch(flush: () => void, schedule: Schedule = nextFrame): FrameBatch {
  let pending = false;
  /** Which scheduling is current: one that a flushNow() overtook does nothing when it comes. */
  let round = 0;
  const run = () => {
    if (!pending) return;
    pending = false;
    flush();
  };
  return {
    request() {
      if (pending) return;
      pending = true;
      const mine = ++round;
      schedule(() => {
        if (mine === round) run();
      });
    },
    flushNow: run,
    get pending() {
      return pending;
    },
  };
}
