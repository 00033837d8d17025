// Time is passed in (DESIGN rule 5) so that expiry, key age, TOTP windows and reports are testable.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to: for tests. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string | number = '2024-01-01T00:00:00.000Z') {
    this.#ms = toMs(start);
  }

  now(): Date {
    return new Date(this.#ms);
  }

  set(time: Date | string | number): void {
    this.#ms = toMs(time);
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}

function toMs(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(t)}`);
  return ms;
}
