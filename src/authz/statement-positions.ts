// Where each statement of a policy document sits in its text, as the IAM policy simulator reports
// it in MatchedStatements (StartPosition / EndPosition: 1-based Line and Column).
//
// AWS's positions are those of a streaming JSON reader just before it reads the statement and
// just after it: the end is the column after the statement's closing `}`; the start is the column
// after the token that precedes the statement's `{` in the reader: the `[` for the first element
// of a Statement array, the previous statement's `}` for the next ones, and the `{` itself when
// Statement is a single object (the reader consumes a member's opening brace with its name).
// Checked against AWS's published answers: `{"Version":"2012-10-17","Statement":{…}}` on one line
// gives Column 38 to 167 (the `{` is at 37, the `}` at 166), and AdministratorAccess
// (`  "Statement": [` on line 3, `    }` on line 8) gives Line 3 Column 17 to Line 8 Column 6.

export interface TextPosition {
  line: number;
  column: number;
}

export interface StatementSpan {
  start: TextPosition;
  end: TextPosition;
}

const WS = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  constructor(readonly text: string) {}

  ws(i: number): number {
    const t = this.text;
    while (i < t.length && WS.has(t[i]!)) i++;
    return i;
  }

  /** `i` at a `"`: the index after the closing quote. */
  string(i: number): number {
    const t = this.text;
    for (let j = i + 1; j < t.length; j++) {
      if (t[j] === '\\') j++;
      else if (t[j] === '"') return j + 1;
    }
    return t.length;
  }

  /** `i` at the first character of a value: the index after it. */
  value(i: number): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.string(i);
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let j = this.ws(i + 1);
      if (t[j] === close) return j + 1;
      while (j < t.length) {
        if (c === '{') {
          j = this.ws(this.string(j));
          j = this.ws(j + 1); // the colon
        }
        j = this.ws(this.value(j));
        if (t[j] === ',') j = this.ws(j + 1);
        else return t[j] === close ? j + 1 : t.length;
      }
      return t.length;
    }
    // number, true, false, null
    let j = i;
    while (j < t.length && !WS.has(t[j]!) && t[j] !== ',' && t[j] !== '}' && t[j] !== ']') j++;
    return j;
  }
}

/** [start, end) offsets of each statement, in order; empty when the text has no Statement member. */
function statementOffsets(text: string): Array<[number, number]> {
  const s = new Scanner(text);
  let i = s.ws(0);
  if (text[i] !== '{') return [];
  i = s.ws(i + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = s.string(i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = s.ws(keyEnd);
    i = s.ws(i + 1); // the colon
    if (key === 'Statement') {
      if (text[i] === '{') return [[i + 1, s.value(i)]];
      if (text[i] !== '[') return [];
      const out: Array<[number, number]> = [];
      let previousEnd = i + 1;
      let j = s.ws(i + 1);
      while (j < text.length && text[j] !== ']') {
        const end = s.value(j);
        if (text[j] === '{') out.push([previousEnd, end]);
        previousEnd = end;
        j = s.ws(end);
        if (text[j] === ',') j = s.ws(j + 1);
      }
      return out;
    }
    i = s.ws(s.value(i));
    if (text[i] === ',') i = s.ws(i + 1);
  }
  return [];
}

/** Offsets at which each line starts; `\r\n`, `\n` and a lone `\r` each end a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (c === 0x0a || c === 0x0d) starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts: readonly number[], offset: number): TextPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** Each statement's span, by statement index. Text that is not a policy object gives none. */
export function statementPositions(text: string): StatementSpan[] {
  let offsets: Array<[number, number]>;
  try {
    offsets = statementOffsets(text);
  } catch {
    return []; // a key that is not valid JSON text: the parser refused such documents already
  }
  if (offsets.length === 0) return [];
  const starts = lineStarts(text);
  return offsets.map(([a, b]) => ({ start: positionAt(starts, a), end: positionAt(starts, b) }));
}
