// What the alert rules need to know about policy documents: does it grant everything (an
// administrator), and whom does a trust policy let in.
import { managedPolicyByArn } from '../../iam/policy-lookup.ts';
import type { StateReader } from '../../iam/state.ts';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
}

function statements(text: string | undefined): Statement[] {
  if (text === undefined) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(decodeMaybe(text));
  } catch {
    return [];
  }
  const s = (doc as { Statement?: unknown })?.Statement;
  if (Array.isArray(s)) return s as Statement[];
  return typeof s === 'object' && s !== null ? [s as Statement] : [];
}

function decodeMaybe(text: string): string {
  const t = text.trim();
  if (t.startsWith('%7B') || t.startsWith('%7b')) {
    try {
      return decodeURIComponent(t);
    } catch {
      return t;
    }
  }
  return t;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A document that allows every action on every resource ("*" or "*:*"). */
export function grantsEverything(text: string | undefined): boolean {
  return statements(text).some(
    (s) => s.Effect === 'Allow' && list(s.Action).some((a) => a === '*' || a === '*:*') && list(s.Resource).includes('*'),
  );
}

export function isAdminPolicyArn(state: StateReader, arn: string | undefined): boolean {
  if (arn === undefined) return false;
  if (/:iam::aws:policy\/AdministratorAccess$/.test(arn)) return true;
  return grantsEverything(managedPolicyByArn(state, arn)?.document);
}

/** Whether members of the group become administrators (an attached or inline policy grants everything). */
export function groupIsAdmin(state: StateReader, accountId: string, groupName: string): boolean {
  const group = state.byName('group', accountId, groupName);
  if (group === undefined) return false;
  const data = group.data as { attachedPolicyArns?: string[]; inlinePolicies?: Record<string, string> };
  return (data.attachedPolicyArns ?? []).some((arn) => isAdminPolicyArn(state, arn)) || Object.values(data.inlinePolicies ?? {}).some(grantsEverything);
}

/** Principals a trust policy lets in from outside the account: "*" and other accounts. */
export function outsidePrincipals(text: string | undefined, accountId: string): string[] {
  const out: string[] = [];
  for (const s of statements(text)) {
    if (s.Effect !== 'Allow' || s.Principal === undefined) continue;
    if (s.Principal === '*') {
      out.push('*');
      continue;
    }
    for (const p of list((s.Principal as Record<string, string | string[]>).AWS)) {
      if (p === '*') out.push('*');
      else {
        const account = /^\d{12}$/.test(p) ? p : /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
        if (account !== undefined && account !== accountId) out.push(p);
      }
    }
  }
  return out;
}
