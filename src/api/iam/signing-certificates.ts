// Signing certificate operations on the wire: UploadSigningCertificate, ListSigningCertificates,
// UpdateSigningCertificate, DeleteSigningCertificate. Without a UserName they act on the caller's
// own certificates (an IAM user's, or the root user's), as access keys do (owners.ts).
import type { AccessKeyStatus } from '../../iam/entities.ts';
import {
  checkSigningCertificate,
  deleteSigningCertificate,
  signingCertificatesOf,
  updateSigningCertificate,
  uploadSigningCertificate,
} from '../../iam/signing-certificates.ts';
import type { EntityOf } from '../../iam/state.ts';
import { paginate } from '../../protocol/paginate.ts';
import type { CallContext, Operations } from '../operation.ts';
import { credentialChange, ownerOf, ownerTarget, type CredentialOwner } from './owners.ts';
import type { Members } from './shapes.ts';

/** The SigningCertificate shape; the root user's certificates carry the account id as their user name. */
function certificateOutput(call: CallContext, cert: EntityOf<'signingCertificate'>, owner: CredentialOwner): Members {
  const d = cert.data;
  return { UserName: owner.user?.data.userName ?? call.accountId, CertificateId: d.certificateId, CertificateBody: d.certificateBody, Status: d.status, UploadDate: d.uploadDate };
}

export const signingCertificateOperations: Operations = {
  UploadSigningCertificate: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      const now = call.clock.now();
      const { fingerprint } = checkSigningCertificate(input.CertificateBody, now);
      return call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        const cert = uploadSigningCertificate(tx, {
          accountId: call.accountId,
          ownerId: owner.ownerId,
          newCertificateId: () => call.ids.signingCertificateId(),
          certificateBody: input.CertificateBody,
          fingerprint,
          now: now.toISOString(),
        });
        return { Certificate: certificateOutput(call, cert, owner) };
      });
    },
  },

  ListSigningCertificates: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      const owner = ownerOf(call, input.UserName);
      const { page, isTruncated, marker } = paginate(signingCertificatesOf(call.state, call.accountId, owner.ownerId), input.Marker, input.MaxItems);
      return { Certificates: page.map((c) => certificateOutput(call, c, owner)), IsTruncated: isTruncated, Marker: marker };
    },
  },

  UpdateSigningCertificate: credentialChange((tx, ownerId, input, call) =>
    updateSigningCertificate(tx, call.accountId, ownerId, input.CertificateId, input.Status as AccessKeyStatus),
  ),

  DeleteSigningCertificate: credentialChange((tx, ownerId, input, call) => deleteSigningCertificate(tx, call.accountId, ownerId, input.CertificateId)),
};
