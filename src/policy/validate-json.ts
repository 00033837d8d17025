// A strict JSON reader for policy documents. JSON.parse is not enough: the policy grammar forbids
// an element holding the same key twice ("Individual elements must not contain multiple instances
// of the same key"), which JSON.parse silently collapses, and condition values must keep numbers
// exactly as written (`1.0`, `12345678901234567890`). Nesting is bounded so that no input can
// exhaust the stack.

/** A JSON number kept as its source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type JsonValue = string | boolean | null | JsonNumber | JsonValue[] | JsonObject;
/** Objects keep their keys in document order. */
export type JsonObject = Map<string, JsonValue>;

/** Thrown for text that is not one JSON value, or that repeats a key in an object. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** True when the text is valid JSON except for a repeated key. */
    readonly duplicateKey = false,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** A policy is at most ~6 levels deep; anything far deeper is not a policy. */
const MAX_DEPTH = 64;

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

export function readJson(text: string): JsonValue {
  let pos = 0;
  const end = text.length;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${pos}`, pos);
  };

  const skipWhitespace = (): void => {
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c !== Ch.Space && c !== Ch.Tab && c !== Ch.Lf && c !== Ch.Cr) return;
      pos++;
    }
  };

  const readString = (): string => {
    pos++; // opening quote
    let out = '';
    let chunkStart = pos;
    while (pos < end) {
      const c = text.charCodeAt(pos);
      if (c === Ch.Quote) {
        out += text.slice(chunkStart, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('Unescaped control character in string');
      if (c !== Ch.Backslash) {
        pos++;
        continue;
      }
      out += text.slice(chunkStart, pos);
      pos++;
      if (pos >= end) break;
      const e = text[pos];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(pos + 1, pos + 5);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid unicode escape');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          fail('Invalid escape');
      }
      pos++;
      chunkStart = pos;
    }
    return fail('Unterminated string');
  };

  const isDigit = (c: number): boolean => c >= Ch.Zero && c <= Ch.Nine;

  const readNumber = (): JsonNumber => {
    const start = pos;
    if (text.charCodeAt(pos) === Ch.Minus) pos++;
    if (text.charCodeAt(pos) === Ch.Zero) {
      pos++;
    } else if (isDigit(text.charCodeAt(pos))) {
      while (isDigit(text.charCodeAt(pos))) pos++;
    } else {
      fail('Invalid number');
    }
    if (text.charCodeAt(pos) === Ch.Dot) {
      pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('Invalid number');
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const e = text.charCodeAt(pos);
    if (e === Ch.LowerE || e === Ch.UpperE) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === Ch.Plus || sign === Ch.Minus) pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('Invalid number');
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    return new JsonNumber(text.slice(start, pos));
  };

  const readLiteral = <T>(word: string, value: T): T => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return fail('Unexpected token');
  };

  const readValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail('Nesting too deep');
    skipWhitespace();
    if (pos >= end) fail('Unexpected end of input');
    const c = text.charCodeAt(pos);
    switch (c) {
      case Ch.OpenBrace: return readObject(depth);
      case Ch.OpenBracket: return readArray(depth);
      case Ch.Quote: return readString();
      case 0x74: return readLiteral('true', true); // t
      case 0x66: return readLiteral('false', false); // f
      case 0x6e: return readLiteral('null', null); // n
      default:
        if (c === Ch.Minus || isDigit(c)) return readNumber();
        return fail('Unexpected token');
    }
  };

  const readObject = (depth: number): JsonObject => {
    pos++; // {
    const obj: JsonObject = new Map();
    skipWhitespace();
    if (text.charCodeAt(pos) === Ch.CloseBrace) {
      pos++;
      return obj;
    }
    for (;;) {
      skipWhitespace();
      if (text.charCodeAt(pos) !== Ch.Quote) fail('Expected a string key');
      const keyAt = pos;
      const key = readString();
      skipWhitespace();
      if (text.charCodeAt(pos) !== Ch.Colon) fail('Expected ":"');
      pos++;
      const value = readValue(depth + 1);
      if (obj.has(key)) throw new JsonSyntaxError(`Duplicate key "${key}" at offset ${keyAt}`, keyAt, true);
      obj.set(key, value);
      skipWhitespace();
      const next = text.charCodeAt(pos);
      pos++;
      if (next === Ch.CloseBrace) return obj;
      if (next !== Ch.Comma) {
        pos--;
        fail('Expected "," or "}"');
      }
    }
  };

  const readArray = (depth: number): JsonValue[] => {
    pos++; // [
    const arr: JsonValue[] = [];
    skipWhitespace();
    if (text.charCodeAt(pos) === Ch.CloseBracket) {
      pos++;
      return arr;
    }
    for (;;) {
      arr.push(readValue(depth + 1));
      skipWhitespace();
      const next = text.charCodeAt(pos);
      pos++;
      if (next === Ch.CloseBracket) return arr;
      if (next !== Ch.Comma) {
        pos--;
        fail('Expected "," or "]"');
      }
    }
  };

  const value = readValue(0);
  skipWhitespace();
  if (pos !== end) fail('Unexpected text after the JSON value');
  return value;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return v instanceof Map;
}
