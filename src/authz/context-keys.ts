// The context keys a policy reads, spelled as written: the condition keys of its Condition blocks
// and the keys its policy variables name (`${aws:username}` in a Resource or a condition value).
// GetContextKeysFor*Policy answers them so ("aws:username", "aws:CurrentTime"), and the policy
// simulator reports the missing ones the same way.
import type { PolicyDocument, Statement } from '../policy/index.ts';

const VARIABLE = /\$\{([^}]*)\}/g;
const PREDEFINED = new Set(['*', '?', '$']);

/** Keys named by `${…}` variables in one value; none under 2008-10-17, where variables are text. */
function variableKeys(value: string, version: PolicyDocument['version'], out: KeyList): void {
  if (version !== '2012-10-17' || !value.includes('${')) return;
  for (const m of value.matchAll(VARIABLE)) {
    const name = m[1]!.split(',')[0]!.trim(); // `${key, 'default'}`
    if (name !== '' && !PREDEFINED.has(name) && !name.includes("'")) out.add(name);
  }
}

/** Keys in first-seen order, unique case-insensitively (AWS compares key names so). */
export class KeyList {
  private readonly seen = new Set<string>();
  readonly keys: string[] = [];

  add(key: string): void {
    const lower = key.toLowerCase();
    if (this.seen.has(lower)) return;
    this.seen.add(lower);
    this.keys.push(key);
  }
}

/** True when the statement's Resource or NotResource holds a policy variable. */
export function resourceHasVariables(s: Statement, version: PolicyDocument['version']): boolean {
  if (version !== '2012-10-17') return false;
  for (const r of s.resource ?? s.notResource ?? []) if (r.includes('${')) return true;
  return false;
}

/** The keys one statement reads: its resource variables, then its condition keys and their values' variables. */
export function statementContextKeys(s: Statement, version: PolicyDocument['version'], out = new KeyList()): KeyList {
  for (const r of s.resource ?? s.notResource ?? []) variableKeys(r, version, out);
  for (const entry of s.condition) {
    out.add(entry.key);
    for (const v of entry.values) variableKeys(v, version, out);
  }
  return out;
}

/** The keys a whole document reads, statement by statement. */
export function policyContextKeys(doc: PolicyDocument, out = new KeyList()): KeyList {
  for (const s of doc.statements) statementContextKeys(s, doc.version, out);
  return out;
}
