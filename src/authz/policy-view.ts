// The in-memory, compiled view of what authorization needs (DESIGN rule 1): for each principal,
// its identity policies and permissions boundary as indexed policy sets. Documents are compiled
// once per (policy, version) and the sets are rebuilt only when the state changes, so the
// decision path never touches the database nor re-parses a document.
import { compilePolicyText, PolicySet, type CompiledPolicy, type PolicyKind } from '../policy/index.ts';
import type { IamState, StateReader } from '../iam/state.ts';
import { managedPolicyByArn } from '../iam/policy-lookup.ts';
import type { InlinePolicies } from '../iam/entities.ts';

export interface PrincipalPolicies {
  identity: PolicySet;
  boundary?: PolicySet;
}

export class PolicyView {
  /** "kind\0id\0document" → compiled. Stale entries are harmless and bounded by the documents that exist. */
  private readonly compiled = new Map<string, CompiledPolicy>();
  private readonly principals = new Map<string, PrincipalPolicies>();

  constructor(private readonly state: IamState) {
    state.onChange(() => this.principals.clear());
  }

  /** Compiles (or finds) a document; `id` names it in decisions. */
  compile(id: string, document: string, kind: PolicyKind): CompiledPolicy {
    const key = `${kind}\0${id}\0${document}`;
    let policy = this.compiled.get(key);
    if (policy === undefined) {
      policy = compilePolicyText(document, kind, id);
      this.compiled.set(key, policy);
    }
    return policy;
  }

  /** A managed policy's default version, compiled as `kind`; undefined when no such policy exists. */
  managedCompiled(arn: string, kind: PolicyKind): CompiledPolicy | undefined {
    const ref = managedPolicyByArn(this.state, arn);
    return ref && this.compile(arn, ref.document, kind);
  }

  private inline(ownerArn: string, policies: InlinePolicies): CompiledPolicy[] {
    return Object.entries(policies).map(([name, document]) => this.compile(`${ownerArn}#${name}`, document, 'identity'));
  }

  private boundary(arn: string | undefined): PolicySet | undefined {
    if (arn === undefined) return undefined;
    const policy = this.managedCompiled(arn, 'boundary');
    // A boundary whose policy vanished allows nothing: AWS refuses to delete a policy in use as one.
    return new PolicySet(policy ? [policy] : []);
  }

  private cached(key: string, build: () => PrincipalPolicies): PrincipalPolicies {
    let entry = this.principals.get(key);
    if (entry === undefined) this.principals.set(key, (entry = build()));
    return entry;
  }

  /** A user's own inline and attached policies and its groups', and its boundary. */
  forUser(userId: string): PrincipalPolicies | undefined {
    const user = this.state.get('user', userId);
    if (user === undefined) return undefined;
    return this.cached(`user\0${userId}`, () => {
      const u = user.data;
      const policies = [...this.inline(u.arn, u.inlinePolicies), ...this.attached(u.attachedPolicyArns)];
      for (const groupId of u.groupIds) {
        const group = this.state.get('group', groupId);
        if (group) policies.push(...this.inline(group.data.arn, group.data.inlinePolicies), ...this.attached(group.data.attachedPolicyArns));
      }
      return { identity: new PolicySet(policies), boundary: this.boundary(u.permissionsBoundaryArn) };
    });
  }

  /** A role's inline and attached policies and its boundary. */
  forRole(roleId: string): PrincipalPolicies | undefined {
    const role = this.state.get('role', roleId);
    if (role === undefined) return undefined;
    return this.cached(`role\0${roleId}`, () => {
      const r = role.data;
      const policies = [...this.inline(r.arn, r.inlinePolicies), ...this.attached(r.attachedPolicyArns)];
      return { identity: new PolicySet(policies), boundary: this.boundary(r.permissionsBoundaryArn) };
    });
  }

  private attached(arns: readonly string[]): CompiledPolicy[] {
    return arns.flatMap((arn) => this.managedCompiled(arn, 'identity') ?? []);
  }

  /** The state this view reads. */
  get reader(): StateReader {
    return this.state;
  }
}
