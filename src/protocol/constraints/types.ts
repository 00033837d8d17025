// Input constraints the published `.min` service models leave out (lengths, patterns, enums, ranges).
// Keyed by the operation input member name; `overrides` ("Operation.Member") covers the few members
// whose constraint differs between operations (e.g. UserName is 1-64 on CreateUser, 1-128 on GetUser).

export interface Constraint {
  /** Strings: minimum length; lists: minimum count; integers: minimum value. */
  readonly min?: number;
  readonly max?: number;
  /** The pattern as AWS prints it in validation messages; matched against the whole value. */
  readonly pattern?: string;
  /** Set when AWS's pattern text is not valid JavaScript (e.g. \u10000 escapes). */
  readonly jsPattern?: string;
  readonly enum?: readonly string[];
  /** Constraint of each element of a list. */
  readonly member?: Constraint;
  /** Constraints of the members of a structure (list elements that are structures). */
  readonly members?: Readonly<Record<string, Constraint>>;
}

export interface ConstraintTable {
  readonly members: Readonly<Record<string, Constraint>>;
  readonly overrides: Readonly<Record<string, Constraint>>;
}

export function constraintFor(table: ConstraintTable, operation: string, member: string): Constraint | undefined {
  return table.overrides[`${operation}.${member}`] ?? table.members[member];
}
