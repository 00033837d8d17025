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
  /** By user id and by role id: read on every request, so found without building a key. */
  private readonly users = new Map<string, PrincipalPolicies>();
  private readonly roles = new Map<string, PrincipalPolicies>();

  constructor(private readonly state: IamState) {
    state.onChange(() => {
      this.users.clear();
      this.roles.clear();
    });
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

  /** A user's own inline and attached policies and its groups', and its boundary. */
  forUser(userId: string): PrincipalPolicies | undefined {
    const user = this.state.get('user', userId);
    if (user === undefined) return undefined;
    let entry = this.users.get(userId);
    if (entry === undefined) {
      const u = user.data;
      const policies = [...this.inline(u.arn, u.inlinePolicies), ...this.attached(u.attachedPolicyArns)];
      for (const groupId of u.groupIds) {
        const group = this.state.get('group', groupId);
        if (group) policies.push(...this.inline(group.data.arn, group.data.inlinePolicies), ...this.attached(group.data.attachedPolicyArns));
      }
      this.users.set(userId, (entry = { identity: new PolicySet(policies), boundary: this.boundary(u.permissionsBoundaryArn) }));
    }
    return entry;
  }

  /** A role's inline and attached policies and its boundary. */
  forRole(roleId: string): PrincipalPolicies | undefined {
    const role = this.state.get('role', roleId);
    if (role === undefined) return undefined;
    let entry = this.roles.get(roleId);
    if (entry === undefined) {
      const r = role.data;
      const policies = [...this.inline(r.arn, r.inlinePolicies), ...this.attached(r.attachedPolicyArns)];
      this.roles.set(roleId, (entry = { identity: new PolicySet(policies), boundary: this.boundary(r.permissionsBoundaryArn) }));
    }
    return entry;
  }

  private attached(arns: readonly string[]): CompiledPolicy[] {
    return arns.flatMap((arn) => this.managedCompiled(arn, 'identity') ?? []);
  }

  /** The state this view reads. */
  get reader(): StateReader {
    return this.state;
  }
}
