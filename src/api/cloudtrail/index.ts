// CloudTrail operations Gatehouse answers (JSON 1.1 protocol, X-Amz-Target CloudTrail_20131101.*).
import type { OperationTable } from '../operation.ts';
import { lookupEventsOperation, type TrailReader } from './lookup-events.ts';

export type { TrailReader } from './lookup-events.ts';

export function cloudtrailOperationsWith(trail: TrailReader): OperationTable {
  return { ...lookupEventsOperation(trail) };
}
