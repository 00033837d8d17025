// Server certificate operations on the wire: UploadServerCertificate, GetServerCertificate,
// ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate, TagServerCertificate,
// UntagServerCertificate, ListServerCertificateTags. The certificate is checked and the private key
// sealed before the transaction; the key is never answered (the model marks PrivateKey sensitive,
// and audit/elements.ts hides it).
import type { Tag } from '../../iam/entities.ts';
import {
  checkServerCertificate,
  deleteServerCertificate,
  requireServerCertificate,
  serverCertificatesUnderPath,
  updateServerCertificate,
  uploadServerCertificate,
} from '../../iam/server-certificates.ts';
import type { EntityOf } from '../../iam/state.ts';
import { iamArn } from '../../model/arn.ts';
import { changeOperation, type Operations } from '../operation.ts';
import { renameOperation } from './authorize.ts';
import { pageByName } from './listings.ts';
import { tagOutput, type Members } from './shapes.ts';
import { tagOperations } from './tagging.ts';
import { creationTarget, listTarget, serverCertificateTarget, theServerCertificate } from './targets.ts';

/** ServerCertificateMetadata. */
function metadataOutput(cert: EntityOf<'serverCertificate'>): Members {
  const d = cert.data;
  return { Path: d.path, ServerCertificateName: d.serverCertificateName, ServerCertificateId: d.serverCertificateId, Arn: d.arn, UploadDate: d.uploadDate, Expiration: d.expiration };
}

function tagsOutput(cert: EntityOf<'serverCertificate'>): Tag[] | undefined {
  return cert.data.tags.length > 0 ? cert.data.tags.map(tagOutput) : undefined;
}

export const serverCertificateOperations: Operations = {
  UploadServerCertificate: {
    target: (input, call) => creationTarget(iamArn.serverCertificate(call.accountId, input.Path ?? '/', input.ServerCertificateName, call.partition), input),
    async run(input, call) {
      const now = call.clock.now();
      const { expiration } = checkServerCertificate(input.CertificateBody, input.PrivateKey, input.CertificateChain, now);
      const privateKeyEncrypted = call.secrets.seal(input.PrivateKey);
      return call.transact((tx) => {
        const cert = uploadServerCertificate(tx, {
          accountId: call.accountId,
          name: input.ServerCertificateName,
          serverCertificateId: call.ids.serverCertificateId(),
          path: input.Path,
          certificateBody: input.CertificateBody,
          certificateChain: input.CertificateChain,
          expiration,
          privateKeyEncrypted,
          tags: input.Tags,
          now: now.toISOString(),
        });
        return { ServerCertificateMetadata: metadataOutput(cert), Tags: tagsOutput(cert) };
      });
    },
  },

  GetServerCertificate: {
    target: theServerCertificate,
    run(input, call) {
      const cert = requireServerCertificate(call.state, call.accountId, input.ServerCertificateName);
      return {
        ServerCertificate: {
          ServerCertificateMetadata: metadataOutput(cert),
          CertificateBody: cert.data.certificateBody,
          CertificateChain: cert.data.certificateChain,
          Tags: tagsOutput(cert),
        },
      };
    },
  },

  ListServerCertificates: {
    target: (input, call) => listTarget(call, 'server-certificate', input.PathPrefix),
    run(input, call) {
      const { page, isTruncated, marker } = pageByName(serverCertificatesUnderPath(call.state, call.accountId, input.PathPrefix), input);
      return { ServerCertificateMetadataList: page.map(metadataOutput), IsTruncated: isTruncated, Marker: marker };
    },
  },

  UpdateServerCertificate: renameOperation('serverCertificate', (tx, input, call) =>
    updateServerCertificate(tx, call.accountId, input.ServerCertificateName, { newName: input.NewServerCertificateName, newPath: input.NewPath }),
  ),

  DeleteServerCertificate: changeOperation(theServerCertificate, (tx, input, call) => deleteServerCertificate(tx, call.accountId, input.ServerCertificateName)),

  ...tagOperations({ noun: 'ServerCertificate', member: 'ServerCertificateName', target: serverCertificateTarget, require: requireServerCertificate }),
};
