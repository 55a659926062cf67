/**
 * The host's one source of time. Durable timers, Service Bus lock expiry, message TTL and duplicate
 * detection windows all read it, so tests can fast-forward all of them together with a VirtualClock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs `fn` once `ms` of this clock's time has passed. */
  schedule(ms: number, fn: () => void): TimerHandle;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(timer) };
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Time moves only when a test calls advance(); due callbacks run in time order. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #pending: PendingTimer[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#pending.push(timer);
    return { cancel: () => (this.#pending = this.#pending.filter((t) => t !== timer)) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#pending
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#pending = this.#pending.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = target;
  }

  pendingCount(): number {
    return this.#pending.length;
  }
}
