// Condition operator names: which exist, and how a written name splits into its set qualifier
// (`ForAllValues:` / `ForAnyValue:`), its base operator and `…IfExists`. Names are case-sensitive.

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface OperatorInfo {
  family: OperatorFamily;
  /** Negated operators (StringNotEquals, NotIpAddress, …) NOR their values. */
  negated: boolean;
}

/** Every base operator AWS accepts, with its family and polarity. */
export const BASE_OPERATORS: ReadonlyMap<string, OperatorInfo> = new Map<string, OperatorInfo>([
  ['StringEquals', { family: 'String', negated: false }],
  ['StringNotEquals', { family: 'String', negated: true }],
  ['StringEqualsIgnoreCase', { family: 'String', negated: false }],
  ['StringNotEqualsIgnoreCase', { family: 'String', negated: true }],
  ['StringLike', { family: 'String', negated: false }],
  ['StringNotLike', { family: 'String', negated: true }],
  ['NumericEquals', { family: 'Numeric', negated: false }],
  ['NumericNotEquals', { family: 'Numeric', negated: true }],
  ['NumericLessThan', { family: 'Numeric', negated: false }],
  ['NumericLessThanEquals', { family: 'Numeric', negated: false }],
  ['NumericGreaterThan', { family: 'Numeric', negated: false }],
  ['NumericGreaterThanEquals', { family: 'Numeric', negated: false }],
  ['DateEquals', { family: 'Date', negated: false }],
  ['DateNotEquals', { family: 'Date', negated: true }],
  ['DateLessThan', { family: 'Date', negated: false }],
  ['DateLessThanEquals', { family: 'Date', negated: false }],
  ['DateGreaterThan', { family: 'Date', negated: false }],
  ['DateGreaterThanEquals', { family: 'Date', negated: false }],
  ['Bool', { family: 'Bool', negated: false }],
  ['BinaryEquals', { family: 'Binary', negated: false }],
  ['BinaryNotEquals', { family: 'Binary', negated: true }],
  ['IpAddress', { family: 'IpAddress', negated: false }],
  ['NotIpAddress', { family: 'IpAddress', negated: true }],
  ['ArnEquals', { family: 'Arn', negated: false }],
  ['ArnNotEquals', { family: 'Arn', negated: true }],
  ['ArnLike', { family: 'Arn', negated: false }],
  ['ArnNotLike', { family: 'Arn', negated: true }],
  ['Null', { family: 'Null', negated: false }],
]);

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator extends OperatorInfo {
  /** The base name without qualifier or IfExists, e.g. `StringLike`. */
  base: string;
  set?: SetQualifier;
  ifExists: boolean;
}

/** Splits a written operator name; `undefined` when AWS would reject it ("Invalid Condition type"). */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const qualifier = rest.slice(0, colon);
    if (qualifier !== 'ForAllValues' && qualifier !== 'ForAnyValue') return undefined;
    set = qualifier;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const info = BASE_OPERATORS.get(rest);
  if (!info) return undefined;
  if (info.family === 'Null' && ifExists) return undefined; // NullIfExists does not exist
  return { ...info, base: rest, set, ifExists };
}
