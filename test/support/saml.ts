// SAML 2.0 identity provider metadata as IdPs publish it, for CreateSAMLProvider and UpdateSAMLProvider.
import { certificateBase64, pki } from './pki.ts';

export interface MetadataOptions {
  entityId?: string;
  /** A PEM certificate for the signing KeyDescriptor (the test root CA's by default); null for none. */
  signingCertificate?: string | null;
  /** The EntityDescriptor's validUntil attribute. */
  validUntil?: string;
  /** The KeyDescriptor's use attribute. */
  use?: string;
}

export function samlMetadata(options: MetadataOptions = {}): string {
  const entityId = options.entityId ?? 'https://idp.example.com/saml';
  const cert = options.signingCertificate === null ? undefined : (options.signingCertificate ?? pki('root-ca.pem'));
  const key = cert === undefined ? '' : `
    <md:KeyDescriptor use="${options.use ?? 'signing'}">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBase64(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>`;
  const validUntil = options.validUntil === undefined ? '' : ` validUntil="${options.validUntil}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}"${validUntil}>
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key}
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${entityId}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
}
