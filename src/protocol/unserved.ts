// An error for a request signed for a service Gatehouse does not serve (S3, EC2, Organizations…),
// written in that service's own protocol, so that its SDK raises a clear error instead of failing
// to parse one: JSON services (X-Amz-Target) answer AWS JSON, query services (Action=) their XML
// (EC2 its own), REST services REST-XML (S3, CloudFront, Route 53) or REST-JSON (the rest).
import { escapeXml } from './encode.ts';
import { headerOf, type HttpRequest } from './http.ts';

const REST_XML_SERVICES = new Set(['s3', 's3-object-lambda', 's3-outposts', 'cloudfront', 'route53']);

export interface EncodedUnserved {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

export function encodeUnservedService(service: string, code: string, message: string, req: HttpRequest, requestId: string): EncodedUnserved {
  const code_ = escapeXml(code);
  const message_ = escapeXml(message);
  if (headerOf(req, 'x-amz-target') !== undefined) {
    const contentType = headerOf(req, 'content-type')?.startsWith('application/x-amz-json-1.0') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
    return { body: JSON.stringify({ __type: code, message }), contentType };
  }
  if (isQueryRequest(req)) {
    if (service === 'ec2') {
      return { body: `<Response><Errors><Error><Code>${code_}</Code><Message>${message_}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`, contentType: 'text/xml' };
    }
    return { body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code_}</Code><Message>${message_}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`, contentType: 'text/xml' };
  }
  if (REST_XML_SERVICES.has(service)) {
    return { body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code_}</Code><Message>${message_}</Message><RequestId>${escapeXml(requestId)}</RequestId></Error>`, contentType: 'application/xml' };
  }
  return { body: JSON.stringify({ message }), contentType: 'application/json', headers: { 'x-amzn-errortype': code } };
}

/** A query-protocol request: Action in the query string, or a form body. */
function isQueryRequest(req: HttpRequest): boolean {
  if (/[?&]Action=/.test(req.url)) return true;
  return headerOf(req, 'content-type')?.startsWith('application/x-www-form-urlencoded') === true && req.body.includes('Action=');
}
