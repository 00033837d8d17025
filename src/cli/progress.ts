// Feedback for long-running commands: one line on stderr, redrawn in place, only when stderr is a
// terminal. Piped or redirected, the commands stay quiet (their --json output is for machines).

export interface Progress {
  /** Shows `text` (at most every 100 ms: drawing costs more than the work between two calls). */
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

const QUIET: Progress = { update() {}, done() {} };

export function progressLine(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return QUIET;
  let last = 0;
  let drawn = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      stream.write(`\r${text}\x1b[K`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** 1234567 → "1,234,567". */
export const count = (n: number) => n.toLocaleString('en-US');
