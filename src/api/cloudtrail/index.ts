// CloudTrail operations Gatehouse answers (JSON 1.1 protocol, X-Amz-Target CloudTrail_20131101.*).
import type { Operations } from '../operation.ts';
import { lookupEvents } from './lookup-events.ts';

export const cloudtrailOperations: Operations = {
  LookupEvents: lookupEvents,
};
