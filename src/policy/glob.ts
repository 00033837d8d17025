// One wildcard matcher for the whole policy language (actions, resources, StringLike, ArnLike),
// built once per pattern and linear in the text, whatever the pattern: a hostile policy cannot
// make a request backtrack.
//
// A pattern is blocks of fixed length (literal runs and `?`) between `*`s: B0 * B1 * … * Bk.
// B0 must start the text and Bk end it; each middle block is taken at its leftmost place after
// the one before. That greedy choice is always right: a later place leaves less text to the
// blocks after it, and the `*` after it absorbs whatever the earlier place skipped. So every
// text position is examined a bounded number of times: literal blocks by indexOf, blocks with
// `?` by a bit-parallel scan (shift-and), one word per 32 pattern characters.
//
// Resource patterns have two more wildcards (wildcard.ts): in the first five ARN segments a `*`
// or `?` inside a segment never matches a colon. Those patterns run as a bit-parallel NFA over
// the whole pattern: time n·⌈m/32⌉ for text n and pattern m, with no backtracking either.

/** `*`: any run of characters. */
export const STAR = 0;
/** `?`: any one character. */
export const QMARK = 1;
/** `*` inside one of an ARN's first five segments: any run without a colon. */
export const SEGMENT_STAR = 2;
/** `?` inside one of an ARN's first five segments: any one character but a colon. */
export const SEGMENT_QMARK = 3;

export type Wildcard = typeof STAR | typeof QMARK | typeof SEGMENT_STAR | typeof SEGMENT_QMARK;
/** A literal run of characters, or a wildcard. */
export type Token = string | Wildcard;

export interface Glob {
  /** Does `s[start, end)` match? */
  matches(s: string, start?: number, end?: number): boolean;
}

const COLON = 58;

// ---------------------------------------------------------------------------------------------
// Blocks: literal runs and `?` of a fixed length

/** A run of tokens between stars: its literal runs and their offsets in it. */
class Block {
  readonly length: number;
  readonly offsets: readonly number[];
  readonly texts: readonly string[];
  /** The block's text when it is one literal run (or empty): startsWith and indexOf do. */
  readonly literal: string | undefined;
  #masks: ShiftAndMasks | undefined;

  constructor(tokens: readonly Token[], from: number, to: number) {
    const offsets: number[] = [];
    const texts: string[] = [];
    let length = 0;
    for (let i = from; i < to; i++) {
      const t = tokens[i]!;
      if (typeof t === 'string') {
        if (t === '') continue;
        offsets.push(length);
        texts.push(t);
        length += t.length;
      } else {
        length++;
      }
    }
    this.length = length;
    this.offsets = offsets;
    this.texts = texts;
    this.literal = length === 0 ? '' : texts.length === 1 && texts[0]!.length === length ? texts[0] : undefined;
  }

  /** Does the block match at `at` (the caller has checked it fits)? */
  matchesAt(s: string, at: number): boolean {
    if (this.literal !== undefined) return s.startsWith(this.literal, at);
    for (let i = 0; i < this.texts.length; i++) if (!s.startsWith(this.texts[i]!, at + this.offsets[i]!)) return false;
    return true;
  }

  /** The leftmost place in s[from, limit) where the block fits and matches, or -1. */
  find(s: string, from: number, limit: number): number {
    if (from + this.length > limit) return -1;
    if (this.literal !== undefined) {
      const at = s.indexOf(this.literal, from);
      return at >= 0 && at + this.length <= limit ? at : -1;
    }
    return shiftAndFind(this.#masks ??= shiftAndMasks(this), s, from, limit);
  }
}

interface ShiftAndMasks {
  readonly words: number;
  /** Per character code: bit i set where the block's i-th character may be that character. */
  readonly byChar: ReadonlyMap<number, Uint32Array>;
  /** Bits of the `?` positions: what any other character may be. */
  readonly any: Uint32Array;
  readonly length: number;
}

function shiftAndMasks(block: Block): ShiftAndMasks {
  const words = Math.ceil(block.length / 32);
  const any = new Uint32Array(words);
  const literalAt = new Array<boolean>(block.length).fill(false);
  for (let k = 0; k < block.texts.length; k++) for (let i = 0; i < block.texts[k]!.length; i++) literalAt[block.offsets[k]! + i] = true;
  for (let i = 0; i < block.length; i++) if (!literalAt[i]) any[i >>> 5]! |= 1 << (i & 31);
  const byChar = new Map<number, Uint32Array>();
  for (let k = 0; k < block.texts.length; k++) {
    const offset = block.offsets[k]!;
    const text = block.texts[k]!;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let mask = byChar.get(c);
      if (mask === undefined) byChar.set(c, (mask = Uint32Array.from(any)));
      const bit = offset + i;
      mask[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
  return { words, byChar, any, length: block.length };
}

/** Shift-and: bit i of the state says the block's first i+1 characters end at the current place. */
function shiftAndFind(m: ShiftAndMasks, s: string, from: number, limit: number): number {
  const words = m.words;
  const last = words - 1;
  const lastBit = 1 << ((m.length - 1) & 31);
  const state = new Uint32Array(words);
  for (let p = from; p < limit; p++) {
    const mask = m.byChar.get(s.charCodeAt(p)) ?? m.any;
    let carry = 1; // a match may start at every place
    for (let w = 0; w < words; w++) {
      const d = state[w]!;
      state[w] = ((d << 1) | carry) & mask[w]!;
      carry = d >>> 31;
    }
    if ((state[last]! & lastBit) !== 0) return p - m.length + 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Patterns of `*` and `?`: blocks, matched greedily

const NO_BLOCKS: readonly Block[] = [];

class BlockGlob implements Glob {
  readonly #head: Block;
  /** Undefined when the pattern has no `*`: the head is then the whole pattern. */
  readonly #tail: Block | undefined;
  readonly #middle: readonly Block[];

  constructor(tokens: readonly Token[]) {
    const stars: number[] = [];
    for (let i = 0; i < tokens.length; i++) if (tokens[i] === STAR) stars.push(i);
    if (stars.length === 0) {
      this.#head = new Block(tokens, 0, tokens.length);
      this.#middle = NO_BLOCKS;
      return;
    }
    this.#head = new Block(tokens, 0, stars[0]!);
    this.#tail = new Block(tokens, stars[stars.length - 1]! + 1, tokens.length);
    const middle: Block[] = [];
    for (let k = 0; k + 1 < stars.length; k++) {
      const block = new Block(tokens, stars[k]! + 1, stars[k + 1]!);
      if (block.length > 0) middle.push(block);
    }
    this.#middle = middle;
  }

  matches(s: string, start = 0, end = s.length): boolean {
    const head = this.#head;
    const tail = this.#tail;
    if (tail === undefined) return end - start === head.length && head.matchesAt(s, start);
    const tailAt = end - tail.length;
    if (tailAt < start + head.length || !head.matchesAt(s, start) || !tail.matchesAt(s, tailAt)) return false;
    let at = start + head.length;
    for (let i = 0; i < this.#middle.length; i++) {
      const block = this.#middle[i]!;
      const found = block.find(s, at, tailAt);
      if (found < 0) return false;
      at = found + block.length;
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Patterns with segment wildcards: a bit-parallel NFA

/**
 * States 0..m, one per pattern character consumed. A step on character c: states whose character
 * admits c advance (shift), star states admitting c stay; then every state before a star also
 * stands after it (the star matched nothing). Consecutive stars were merged, so one pass does it.
 */
class NfaGlob implements Glob {
  readonly #words: number;
  readonly #finalWord: number;
  readonly #finalBit: number;
  readonly #advanceByChar: ReadonlyMap<number, Uint32Array>;
  readonly #advanceOther: Uint32Array;
  readonly #advanceColon: Uint32Array;
  readonly #loopOther: Uint32Array;
  readonly #loopColon: Uint32Array;
  readonly #stars: Uint32Array;

  constructor(tokens: readonly Token[]) {
    const symbols: (number | Wildcard)[] = []; // character codes (as -1 - code) and wildcards
    for (const t of mergeStars(tokens)) {
      if (typeof t === 'string') for (let i = 0; i < t.length; i++) symbols.push(-1 - t.charCodeAt(i));
      else symbols.push(t);
    }
    const m = symbols.length;
    const words = Math.ceil((m + 1) / 32);
    const bits = () => new Uint32Array(words);
    const set = (mask: Uint32Array, k: number) => (mask[k >>> 5]! |= 1 << (k & 31));
    this.#words = words;
    this.#finalWord = m >>> 5;
    this.#finalBit = 1 << (m & 31);
    this.#advanceOther = bits(); // what ? and segment-? advance on, for a character not in the pattern
    this.#advanceColon = bits();
    this.#loopOther = bits();
    this.#loopColon = bits();
    this.#stars = bits();
    for (let k = 0; k < m; k++) {
      const x = symbols[k]!;
      if (x === QMARK) {
        set(this.#advanceOther, k);
        set(this.#advanceColon, k);
      } else if (x === SEGMENT_QMARK) {
        set(this.#advanceOther, k);
      } else if (x === STAR) {
        set(this.#loopOther, k);
        set(this.#loopColon, k);
        set(this.#stars, k);
      } else if (x === SEGMENT_STAR) {
        set(this.#loopOther, k);
        set(this.#stars, k);
      }
    }
    const byChar = new Map<number, Uint32Array>();
    for (let k = 0; k < m; k++) {
      const x = symbols[k]!;
      if (x >= 0) continue;
      const c = -1 - x;
      let mask = byChar.get(c);
      if (mask === undefined) byChar.set(c, (mask = Uint32Array.from(c === COLON ? this.#advanceColon : this.#advanceOther)));
      set(mask, k);
    }
    this.#advanceByChar = byChar;
  }

  matches(s: string, start = 0, end = s.length): boolean {
    const words = this.#words;
    const stars = this.#stars;
    const state = new Uint32Array(words);
    state[0] = 1;
    closeOverStars(state, stars, words);
    for (let p = start; p < end; p++) {
      const c = s.charCodeAt(p);
      const advance = this.#advanceByChar.get(c) ?? (c === COLON ? this.#advanceColon : this.#advanceOther);
      const loop = c === COLON ? this.#loopColon : this.#loopOther;
      let alive = 0;
      // From the top word down, so each word still reads its lower neighbour's old value.
      for (let w = words - 1; w >= 0; w--) {
        const d = state[w]!;
        const below = w > 0 ? (state[w - 1]! & advance[w - 1]!) >>> 31 : 0;
        const next = (((d & advance[w]!) << 1) | below | (d & loop[w]!)) >>> 0;
        state[w] = next;
        alive |= next;
      }
      if (alive === 0) return false;
      closeOverStars(state, stars, words);
    }
    return (state[this.#finalWord]! & this.#finalBit) !== 0;
  }
}

function closeOverStars(state: Uint32Array, stars: Uint32Array, words: number): void {
  for (let w = words - 1; w >= 0; w--) {
    const below = w > 0 ? (state[w - 1]! & stars[w - 1]!) >>> 31 : 0;
    state[w] = (state[w]! | ((state[w]! & stars[w]!) << 1) | below) >>> 0;
  }
}

/** Adjacent stars match what the wider of them matches: keep one. */
function mergeStars(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t === '') continue;
    const last = out[out.length - 1];
    const isStar = t === STAR || t === SEGMENT_STAR;
    if (isStar && (last === STAR || last === SEGMENT_STAR)) {
      if (t === STAR) out[out.length - 1] = STAR;
      continue;
    }
    out.push(t);
  }
  return out;
}

/** A matcher for the tokens, built once. */
export function compileGlob(tokens: readonly Token[]): Glob {
  for (const t of tokens) if (t === SEGMENT_STAR || t === SEGMENT_QMARK) return new NfaGlob(tokens);
  return new BlockGlob(tokens);
}
