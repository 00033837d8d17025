// The AWS query protocol (IAM and STS): request routing, input decoding and validation, output and
// error encoding, pagination.
export { IAM, STS, SERVICES, serviceByVersion } from './model.ts';
export type { Operation, ServiceId, ServiceModel, Shape, StructureShape, Member } from './model.ts';
export { parseRequest, collectParams, FormParams } from './request.ts';
export type { QueryRequest, RawQueryRequest } from './request.ts';
export { decodeQuery } from './decode.ts';
export { validateInput, findViolations, validationErrorOf } from './validate.ts';
export { encodeResponse, encodeError, escapeXml, encodeRfc3986, formatTimestamp } from './encode.ts';
export type { EncodedError } from './encode.ts';
export { paginate } from './paginate.ts';
export type { Page, PaginateOptions } from './paginate.ts';
