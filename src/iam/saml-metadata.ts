// SAML 2.0 metadata as CreateSAMLProvider and UpdateSAMLProvider take it: one EntityDescriptor
// with an entityID, an IDPSSODescriptor, and at least one signing certificate (a KeyDescriptor for
// signing, or for any use, holding a ds:X509Certificate that parses). Anything else, and any
// document type declaration (no entities are expanded: no XXE, no entity bombs), is AWS's
// InvalidInput "Could not parse metadata.". The size is bounded before this by the API's 10,000,000
// characters and the server's request size; the parser's work by the markup it may meet: xmldom
// spends some 10 µs on each element, attribute or reference, so a document of a million empty
// elements would hold the request thread for seconds. IdPs' metadata has hundreds.
import { DOMParser } from '@xmldom/xmldom';
import { invalidInput } from '../model/errors.ts';
import { certificateFromDer } from './x509.ts';

const METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const DTD = /<!DOCTYPE|<!ENTITY/i;
/** Elements, attributes and references (counted as '<', '=' and '&') a document may have. */
export const MAX_METADATA_MARKUP = 10_000;

export interface SamlMetadata {
  entityId: string;
  /** The EntityDescriptor's validUntil, when it has one. */
  validUntil?: string;
  /** How many signing certificates the identity provider's descriptors hold. */
  signingCertificates: number;
}

function unparseable(): Error {
  return invalidInput('Could not parse metadata.');
}

/** A strict parse: any warning or error of the parser refuses the document. */
function parseXml(text: string): Document {
  let failed = false;
  const fail = () => {
    failed = true;
  };
  const parser = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } });
  let doc: Document | undefined;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch {
    failed = true;
  }
  if (failed || doc === undefined || doc.documentElement === null) throw unparseable();
  return doc;
}

function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    const el = node as Element;
    if (node.nodeType === 1 && el.namespaceURI === ns && el.localName === localName) out.push(el);
  }
  return out;
}

function signingCertificatesOf(idp: Element): number {
  let count = 0;
  for (const descriptor of children(idp, METADATA_NS, 'KeyDescriptor')) {
    const use = descriptor.getAttribute('use');
    if (use !== null && use !== '' && use !== 'signing') continue;
    const certs = descriptor.getElementsByTagNameNS(DSIG_NS, 'X509Certificate');
    for (let i = 0; i < certs.length; i++) {
      const base64 = (certs.item(i)!.textContent ?? '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || certificateFromDer(Buffer.from(base64, 'base64')) === undefined) throw unparseable();
      count++;
    }
  }
  return count;
}

function markupCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 60 || c === 61 || c === 38) n++;
  }
  return n;
}

export function parseSamlMetadata(text: string): SamlMetadata {
  if (markupCount(text) > MAX_METADATA_MARKUP || DTD.test(text)) throw unparseable();
  const root = parseXml(text).documentElement!;
  if (root.namespaceURI !== METADATA_NS || root.localName !== 'EntityDescriptor') throw unparseable();
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '') throw unparseable();
  const idps = children(root, METADATA_NS, 'IDPSSODescriptor');
  let signingCertificates = 0;
  for (const idp of idps) signingCertificates += signingCertificatesOf(idp);
  if (signingCertificates === 0) throw unparseable();
  const metadata: SamlMetadata = { entityId, signingCertificates };
  const validUntil = root.getAttribute('validUntil');
  if (validUntil !== null && validUntil !== '') {
    const time = Date.parse(validUntil);
    if (Number.isNaN(time)) throw unparseable();
    metadata.validUntil = new Date(time).toISOString();
  }
  return metadata;
}
