// The policy language's data: what the parser produces, what the compiler consumes, and what a
// request and a decision look like. Pure data, no behaviour.

/** Where a policy is used decides which elements it may have and how large it may be. */
export type PolicyKind =
  | 'identity' // user, group or role inline or managed policy
  | 'resource' // a resource-based policy (bucket policy, key policy, …)
  | 'trust' // a role's trust (assume-role) policy: a resource policy on the role
  | 'boundary' // a permissions boundary (a managed policy used as a boundary)
  | 'scp' // an Organizations service control policy
  | 'rcp' // an Organizations resource control policy
  | 'session'; // an inline session policy passed to AssumeRole* / GetFederationToken

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type Effect = 'Allow' | 'Deny';

/** `"*"`, or principals by type. Values are kept as written (strings). */
export type PrincipalBlock =
  | '*'
  | {
      AWS?: string[];
      Service?: string[];
      Federated?: string[];
      CanonicalUser?: string[];
    };

/** One (operator, key, values) triple of a Condition block, values normalised to strings. */
export interface ConditionEntry {
  /** The operator exactly as written, qualifiers included: `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The condition key as written; compare it lowercased. */
  key: string;
  values: string[];
}

export interface Statement {
  /** Position in the policy, from 0: explains which statement decided. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalBlock;
  notPrincipal?: PrincipalBlock;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionEntry[];
}

export interface PolicyDocument {
  /** The `Version` element; absent means 2008-10-17, where policy variables are literal text. */
  version: PolicyVersion;
  id?: string;
  statements: Statement[];
}

/** A context value: single-valued keys hold a string, multivalued keys an array. */
export type ContextValue = string | readonly string[];

/** Request context keyed by the lowercased key name (AWS compares key names case-insensitively). */
export type RequestContext = ReadonlyMap<string, ContextValue>;

export type Decision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny';
