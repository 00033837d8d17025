// CloudTrail's LookupEvents on Gatehouse's own trail: one lookup attribute at most, a time range,
// MaxResults (1–50, 50 by default) and NextToken, newest first. Authorized as
// cloudtrail:LookupEvents on "*" (the action has no resource type). A caller sees its own
// account's events.
import { createHash } from 'node:crypto';
import { resourcesOf } from '../../audit/lookup-keys.ts';
import type { CloudTrailEvent } from '../../audit/event.ts';
import { usernameOf } from '../../audit/identity.ts';
import { AwsError } from '../../model/errors.ts';
import { isoSeconds } from '../../model/time.ts';
import type { Input, OperationDefinition } from '../operation.ts';

const ATTRIBUTE_KEYS = new Set(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']);

const invalid = (code: string, message: string) => new AwsError(code, message, 400);

interface Token {
  t: string;
  i: number;
  q: string;
}

/** The query a token belongs to: a token is only good with the parameters it was issued for. */
function fingerprint(attribute: { key: string; value: string } | undefined, start?: string, end?: string): string {
  return createHash('sha256').update(JSON.stringify([attribute?.key, attribute?.value, start, end])).digest('base64url').slice(0, 16);
}

function readToken(text: string, expected: string): Token {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
    if (typeof t.t === 'string' && Number.isSafeInteger(t.i) && t.q === expected) return t;
  } catch {
    // falls through
  }
  throw invalid('InvalidNextTokenException', 'Invalid NextToken.');
}

function parseInput(input: Input) {
  const attributes = (input.LookupAttributes as { AttributeKey?: string; AttributeValue?: string }[] | undefined) ?? [];
  if (attributes.length > 1) throw invalid('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
  let attribute: { key: string; value: string } | undefined;
  if (attributes.length === 1) {
    const { AttributeKey: key, AttributeValue: value } = attributes[0]!;
    if (key === undefined || !ATTRIBUTE_KEYS.has(key)) {
      throw invalid('InvalidLookupAttributesException', `Invalid lookup attribute key: ${key ?? 'null'}. Valid keys are ${[...ATTRIBUTE_KEYS].join(', ')}.`);
    }
    if (value === undefined || value.length < 1 || value.length > 2000) {
      throw invalid('InvalidLookupAttributesException', 'The lookup attribute value must be between 1 and 2000 characters.');
    }
    attribute = { key, value };
  }
  const maxResults = input.MaxResults as number | undefined;
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50)) {
    throw invalid('InvalidMaxResultsException', 'MaxResults must be a value between 1 and 50.');
  }
  const start = input.StartTime instanceof Date ? input.StartTime : undefined;
  const end = input.EndTime instanceof Date ? input.EndTime : undefined;
  if (start !== undefined && end !== undefined && start.getTime() > end.getTime()) {
    throw invalid('InvalidTimeRangeException', 'Start time must be before end time.');
  }
  const category = input.EventCategory as string | undefined;
  if (category !== undefined && category !== 'insight') throw invalid('InvalidEventCategoryException', `Invalid EventCategory: ${category}.`);
  // Times are kept to the second: a start rounds down, an end includes its whole second.
  return { attribute, limit: maxResults ?? 50, start: start && isoSeconds(start), end: end && isoSeconds(end), insights: category === 'insight' };
}

export const lookupEvents: OperationDefinition = {
  target: () => ({ resource: '*' }),
  async run(input, call, { trail }) {
    const q = parseInput(input);
    const fp = fingerprint(q.attribute, q.start, q.end);
    const token = input.NextToken !== undefined ? readToken(input.NextToken as string, fp) : undefined;
    // Gatehouse records no Insights events.
    if (q.insights) return { Events: [] };
    await trail.flush();
    const { rows, more } = await trail.queries.page({
      attribute: q.attribute,
      start: q.start,
      end: q.end,
      after: token && { time: token.t, id: token.i },
      limit: q.limit,
    });
    const events = [];
    for (const row of rows) {
      const e = JSON.parse(row.json) as CloudTrailEvent;
      if (e.recipientAccountId !== undefined && e.recipientAccountId !== call.accountId) continue;
      events.push({
        EventId: e.eventID,
        EventName: e.eventName,
        ReadOnly: String(e.readOnly),
        AccessKeyId: e.userIdentity?.accessKeyId || undefined,
        EventTime: new Date(e.eventTime),
        EventSource: e.eventSource,
        Username: e.userIdentity !== undefined ? usernameOf(e.userIdentity) : undefined,
        Resources: resourcesOf(e),
        CloudTrailEvent: row.json,
      });
    }
    const last = rows[rows.length - 1];
    const next = more && last !== undefined ? Buffer.from(JSON.stringify({ t: last.time, i: last.id, q: fp } satisfies Token)).toString('base64url') : undefined;
    return { Events: events, NextToken: next };
  },
};
