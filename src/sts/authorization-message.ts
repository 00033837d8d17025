// Encoded authorization failure messages (the form EC2 and other services append to an
// AccessDenied) and sts:DecodeAuthorizationMessage. The message carries the full decision
// context, so it is sealed with the data key: only Gatehouse can read it, and only a caller of
// the same account allowed sts:DecodeAuthorizationMessage gets it decoded.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Caller } from '../iam/caller.ts';
import { invalidAuthorizationMessage } from '../model/errors.ts';
import type { EvaluationRequest, EvaluationResult, Statement } from '../policy/index.ts';
import type { SecretBox } from '../store/data-key.ts';

/** EncodedMessage is at most 10240 characters (STS API reference). */
export const MAX_ENCODED_MESSAGE = 10240;

type Items<T> = { items: T[] };
const items = <T>(list: readonly T[]): Items<T> => ({ items: [...list] });
const values = (list: readonly string[] | undefined) => items((list ?? []).map((value) => ({ value })));

function statementOutput(s: Statement, policyId: string) {
  const principals = s.principal === undefined ? [] : s.principal === '*' ? ['*'] : (s.principal.AWS ?? []);
  return {
    statementId: s.sid ?? '',
    policyId,
    effect: s.effect.toUpperCase(),
    principals: values(principals),
    principalGroups: items([]),
    actions: values(s.action ?? s.notAction),
    resources: values(s.resource ?? s.notResource),
    conditions: items(s.condition.map((c) => ({ key: c.key, operator: c.operator, values: values(c.values) }))),
  };
}

/** The decision context, in the shape DecodeAuthorizationMessage answers it. */
export function decisionDocument(caller: Caller, request: EvaluationRequest, result: EvaluationResult): Record<string, unknown> {
  const conditions = [...request.context].map(([key, value]) => ({
    key,
    values: values(typeof value === 'string' ? [value] : value),
  }));
  return {
    allowed: result.decision === 'Allowed',
    explicitDeny: result.decision === 'ExplicitDeny',
    matchedStatements: items(result.matched.map((m) => statementOutput(m.statement.source, m.policyId))),
    failures: items([]),
    context: {
      principal: { id: caller.userId, name: caller.userName ?? caller.principal.arn.split('/').pop(), arn: caller.principal.arn },
      action: request.action,
      resource: request.resource,
      conditions: items(conditions),
    },
  };
}

/** The encoded message for a decision, readable by DecodeAuthorizationMessage in `accountId`. */
export function encodeAuthorizationMessage(
  secrets: SecretBox,
  accountId: string,
  caller: Caller,
  request: EvaluationRequest,
  result: EvaluationResult,
): string {
  const doc = decisionDocument(caller, request, result);
  const packed = (d: unknown) =>
    Buffer.from(secrets.seal(deflateRawSync(Buffer.from(JSON.stringify({ account: accountId, message: d }))).toString('base64'))).toString('base64url');
  const encoded = packed(doc);
  if (encoded.length <= MAX_ENCODED_MESSAGE) return encoded;
  // Too large to be decoded: keep the decision and drop the context's condition values.
  const ctx = doc.context as Record<string, unknown>;
  return packed({ ...doc, context: { ...ctx, conditions: items([]) } });
}

/** The decision document (JSON text) of a message this account's Gatehouse encoded. */
export function decodeAuthorizationMessage(secrets: SecretBox, accountId: string, encoded: string): string {
  let parsed: { account?: unknown; message?: unknown };
  try {
    const sealed = Buffer.from(encoded, 'base64url').toString('utf8');
    parsed = JSON.parse(inflateRawSync(Buffer.from(secrets.open(sealed), 'base64')).toString('utf8'));
  } catch {
    throw invalidAuthorizationMessage('The error message is invalid.');
  }
  if (parsed.account !== accountId) throw invalidAuthorizationMessage('The error message is invalid.');
  return JSON.stringify(parsed.message);
}
