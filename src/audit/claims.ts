// What a request says about itself before (or without) authentication: the access key id and
// service of its credential scope, and the action it asks for. Used to record requests that were
// refused before they were understood (unsigned, unknown key, bad signature, malformed).
import { collectParams } from '../protocol/request.ts';

export interface RequestClaim {
  accessKeyId?: string;
  service?: string;
  action?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/[^/]*\/[^/]*\/([^/,\s]+)\//;

export function claimOf(req: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Buffer }): RequestClaim {
  const claim: RequestClaim = {};
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const qmark = req.url.indexOf('?');
  const query = qmark < 0 ? '' : req.url.slice(qmark + 1);
  const auth = header('authorization');
  const m = auth !== undefined ? CREDENTIAL.exec(auth) : undefined;
  if (m) {
    claim.accessKeyId = m[1];
    claim.service = m[2];
  } else {
    const credential = new URLSearchParams(query).get('X-Amz-Credential');
    if (credential) [claim.accessKeyId, , , claim.service] = credential.split('/');
  }
  const target = header('x-amz-target');
  if (target !== undefined) {
    claim.action = target.slice(target.lastIndexOf('.') + 1);
    claim.service ??= 'cloudtrail';
    return claim;
  }
  try {
    const ct = header('content-type');
    claim.action = collectParams({ method: req.method, query, body: req.body, contentType: ct }).get('Action') ?? undefined;
  } catch {
    // a body that is not a form says nothing
  }
  return claim;
}
