// Alert rules over the event stream: each looks at one committed event (with what it needs of the
// IAM state, of earlier events and of recent counts) and may raise a finding.
import type { StateReader } from '../../iam/state.ts';
import type { CloudTrailEvent } from '../event.ts';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface Finding {
  summary: string;
  details?: Record<string, unknown>;
}

export interface RuleContext {
  /** The IAM state now (the event is committed, so its change is in it). */
  state: StateReader;
  /** The latest successful event of this name in the account before event `beforeId`. */
  previous(eventName: string, accountId: string, beforeId: number): Promise<CloudTrailEvent | undefined>;
  /** Counts `key` at the event's time and answers how many fell in the last `windowSeconds`. */
  count(rule: string, key: string, time: string, windowSeconds: number): number;
  /** Notes `value` for `key` at the event's time and answers how many distinct values fell in the last `windowSeconds`. */
  distinct(rule: string, key: string, value: string, time: string, windowSeconds: number): number;
  /** Records a successful sign-in address: 'new' when the principal had signed in only from others. */
  signinAddress(principal: string, address: string, time: string): Promise<'first' | 'known' | 'new'>;
}

export interface AlertRule {
  id: string;
  severity: Severity;
  description: string;
  /** A rule that asks the trail (ctx.previous, ctx.signinAddress) answers a promise. */
  evaluate(event: CloudTrailEvent, eventId: number, ctx: RuleContext): Finding | undefined | Promise<Finding | undefined>;
}

export interface Alert {
  id: number;
  time: string;
  rule: string;
  severity: Severity;
  summary: string;
  accountId?: string;
  eventId?: number;
  details?: Record<string, unknown>;
  event?: CloudTrailEvent;
}

/** Threshold rules: N events in a window. */
export interface BurstSettings {
  threshold: number;
  windowSeconds: number;
}
