// Service-specific credential operations on the wire: CreateServiceSpecificCredential,
// ListServiceSpecificCredentials, ResetServiceSpecificCredential, UpdateServiceSpecificCredential,
// DeleteServiceSpecificCredential. All are authorized on the user; all but Create take an optional
// UserName (absent: the caller's own, owners.ts). The password leaves Gatehouse only in Create's
// and Reset's answers, added after the transaction so that the event never sees it.
import type { AccessKeyStatus } from '../../iam/entities.ts';
import { requireUser } from '../../iam/require.ts';
import {
  createServiceSpecificCredential,
  deleteServiceSpecificCredential,
  newServicePassword,
  resetServiceSpecificCredential,
  serviceNotSupported,
  serviceSpecificCredentialsOf,
  SUPPORTED_SERVICES,
  updateServiceSpecificCredential,
} from '../../iam/service-specific-credentials.ts';
import type { EntityOf } from '../../iam/state.ts';
import type { Operations } from '../operation.ts';
import { credentialChange, ownerOf, ownerTarget } from './owners.ts';
import type { Members } from './shapes.ts';
import { userTarget } from './targets.ts';

/** ServiceSpecificCredentialMetadata: everything but the password. */
function metadata(credential: EntityOf<'serviceSpecificCredential'>, userName: string): Members {
  const d = credential.data;
  return {
    UserName: userName,
    Status: d.status,
    ServiceUserName: d.serviceUserName,
    CreateDate: d.createDate,
    ServiceSpecificCredentialId: d.serviceSpecificCredentialId,
    ServiceName: d.serviceName,
  };
}

export const serviceSpecificCredentialOperations: Operations = {
  CreateServiceSpecificCredential: {
    target: (input, call) => userTarget(call, input.UserName, { 'iam:ServiceSpecificCredentialServiceName': input.ServiceName }),
    async run(input, call) {
      const password = newServicePassword(call.ids);
      const passwordEncrypted = call.secrets.seal(password);
      const made = await call.transact((tx) => {
        const user = requireUser(tx, call.accountId, input.UserName);
        const credential = createServiceSpecificCredential(tx, {
          accountId: call.accountId,
          user,
          serviceName: input.ServiceName,
          newId: () => call.ids.serviceSpecificCredentialId(),
          passwordEncrypted,
          now: call.clock.now().toISOString(),
        });
        return { ServiceSpecificCredential: metadata(credential, user.data.userName) };
      });
      return { ServiceSpecificCredential: { ...made.ServiceSpecificCredential, ServicePassword: password } };
    },
  },

  ListServiceSpecificCredentials: {
    target: (input, call) => ownerTarget(call, input.UserName),
    run(input, call) {
      if (input.ServiceName !== undefined && !SUPPORTED_SERVICES.includes(input.ServiceName)) throw serviceNotSupported();
      const owner = ownerOf(call, input.UserName);
      const userName = owner.user?.data.userName ?? call.accountId;
      const credentials = serviceSpecificCredentialsOf(call.state, call.accountId, owner.ownerId, input.ServiceName);
      return { ServiceSpecificCredentials: credentials.map((c) => metadata(c, userName)) };
    },
  },

  ResetServiceSpecificCredential: {
    target: (input, call) => ownerTarget(call, input.UserName),
    async run(input, call) {
      const password = newServicePassword(call.ids);
      const passwordEncrypted = call.secrets.seal(password);
      const made = await call.transact((tx) => {
        const owner = ownerOf(call, input.UserName, tx);
        const credential = resetServiceSpecificCredential(tx, call.accountId, owner.ownerId, input.ServiceSpecificCredentialId, passwordEncrypted);
        return { ServiceSpecificCredential: metadata(credential, owner.user?.data.userName ?? call.accountId) };
      });
      return { ServiceSpecificCredential: { ...made.ServiceSpecificCredential, ServicePassword: password } };
    },
  },

  UpdateServiceSpecificCredential: credentialChange((tx, ownerId, input, call) =>
    updateServiceSpecificCredential(tx, call.accountId, ownerId, input.ServiceSpecificCredentialId, input.Status as AccessKeyStatus),
  ),

  DeleteServiceSpecificCredential: credentialChange((tx, ownerId, input, call) =>
    deleteServiceSpecificCredential(tx, call.accountId, ownerId, input.ServiceSpecificCredentialId),
  ),
};
