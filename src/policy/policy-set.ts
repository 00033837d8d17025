// The policies of one type that apply to a principal (or a resource), indexed by action: the
// statements considered for a request are those whose Action can match it, found in a Map, so
// evaluation cost follows the statements that can apply, not how many exist.
import type { CompiledPolicy, CompiledStatement } from './compile.ts';

export interface ActionCandidates {
  readonly allows: readonly CompiledStatement[];
  readonly denies: readonly CompiledStatement[];
}

const NONE: ActionCandidates = { allows: [], denies: [] };
/** Distinct actions remembered per set; real workloads use far fewer, this only bounds memory. */
const MAX_CACHED_ACTIONS = 4096;

export class PolicySet {
  readonly policies: readonly CompiledPolicy[];
  /** Statements by the service prefix their Action names; `any` holds NotAction and wildcard-service statements. */
  private readonly byService = new Map<string, CompiledStatement[]>();
  private readonly anyService: CompiledStatement[] = [];
  private readonly byAction = new Map<string, ActionCandidates>();

  constructor(policies: readonly CompiledPolicy[]) {
    this.policies = policies;
    for (const policy of policies) {
      for (const s of policy.statements) {
        if (s.services === undefined || s.services.includes('*')) {
          this.anyService.push(s);
          continue;
        }
        for (const service of s.services) {
          let list = this.byService.get(service);
          if (!list) this.byService.set(service, (list = []));
          list.push(s);
        }
      }
    }
  }

  get isEmpty(): boolean {
    return this.policies.length === 0;
  }

  /** The statements whose action part matches `action` (any case), split by effect. */
  candidates(action: string): ActionCandidates {
    // Looked up as written first: callers reuse the same strings, whose hashes V8 keeps.
    const cached = this.byAction.get(action);
    if (cached) return cached;
    const lower = action.toLowerCase();
    const found = this.byAction.get(lower) ?? this.compute(lower);
    if (this.byAction.size >= MAX_CACHED_ACTIONS) this.byAction.clear();
    this.byAction.set(action, found);
    this.byAction.set(lower, found);
    return found;
  }

  private compute(action: string): ActionCandidates {
    const colon = action.indexOf(':');
    const service = colon < 0 ? action : action.slice(0, colon);
    const allows: CompiledStatement[] = [];
    const denies: CompiledStatement[] = [];
    const consider = (list: readonly CompiledStatement[] | undefined) => {
      for (const s of list ?? []) if (s.matchesAction(action)) (s.effect === 'Deny' ? denies : allows).push(s);
    };
    consider(this.byService.get(service));
    consider(this.anyService);
    // Keep policy order so explanations list statements as written.
    const order = (a: CompiledStatement, b: CompiledStatement) =>
      this.policies.indexOf(a.policy) - this.policies.indexOf(b.policy) || a.source.index - b.source.index;
    return allows.length + denies.length === 0 ? NONE : { allows: allows.sort(order), denies: denies.sort(order) };
  }
}

export const EMPTY_POLICY_SET = new PolicySet([]);
