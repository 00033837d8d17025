// Rules written in the alerts file: field matches on the record, optionally N matches within a
// window per group.
import type { CloudTrailEvent } from '../event.ts';
import type { CustomRuleSpec, MatchValue } from './config.ts';
import type { AlertRule } from './types.ts';

function at(event: CloudTrailEvent, path: string): unknown {
  let v: unknown = event;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function matches(value: unknown, want: MatchValue): boolean {
  if (typeof want === 'object' && !Array.isArray(want)) return (value !== undefined && value !== null) === want.exists;
  const options = Array.isArray(want) ? want : [want];
  return options.some((o) => String(o) === String(value));
}

export function customRule(spec: CustomRuleSpec): AlertRule {
  const fields = Object.entries(spec.match);
  return {
    id: spec.id,
    severity: spec.severity,
    description: spec.description,
    evaluate(event, _id, ctx) {
      for (const [path, want] of fields) if (!matches(at(event, path), want)) return undefined;
      const subject = event.userIdentity.arn ?? event.sourceIPAddress;
      if (spec.threshold !== undefined && spec.threshold > 1) {
        const group = spec.groupBy !== undefined ? String(at(event, spec.groupBy) ?? '') : '';
        const n = ctx.count(spec.id, group, event.eventTime, spec.windowSeconds ?? 300);
        if (n !== spec.threshold) return undefined;
        return { summary: `${spec.description}: ${n} times within ${spec.windowSeconds ?? 300} s${group ? ` (${group})` : ''}` };
      }
      return { summary: `${spec.description}: ${event.eventName} by ${subject}` };
    },
  };
}
