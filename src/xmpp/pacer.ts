// At most a few requests of one kind in flight; the others wait their turn in
// the order they came. Two hundred devices online in the same second would
// otherwise be two hundred disco#info (or vCard) queries at once: a burst the
// server has to route and the page has to answer, all in the same moment.

export interface Pacer {
  /**
   * Resolves with `release` once a slot is free, or with undefined when, by
   * then, `wanted` says the request is no longer needed (its device went
   * offline). Call `release` when the request has its answer, or failed.
   */
  turn(wanted?: () => boolean): Promise<(() => void) | undefined>;
  /** Drops at once the waiters no longer wanted, rather than at their turn. */
  prune(): void;
  /** Requests in flight. */
  readonly active: number;
  /** Requests waiting their turn. */
  readonly waiting: number;
}

interface Waiter {
  wanted: () => boolean;
  grant: (release: (() => void) | undefined) => void;
}

export function createPacer(limit: number): Pacer {
  const slots = Math.max(1, Math.floor(limit));
  let queue: Waiter[] = [];
  let active = 0;

  function slot(): () => void {
    active++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      active--;
      next();
    };
  }

  function next(): void {
    while (active < slots && queue.length) {
      const waiter = queue.shift()!;
      waiter.grant(waiter.wanted() ? slot() : undefined);
    }
  }

  return {
    turn(wanted = () => true) {
      return new Promise((grant) => {
        queue.push({ wanted, grant });
        next();
      });
    },
    prune() {
      const kept: Waiter[] = [];
      const dropped: Waiter[] = [];
      for (const waiter of queue) (waiter.wanted() ? kept : dropped).push(waiter);
      queue = kept;
      for (const waiter of dropped) waiter.grant(undefined);
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
