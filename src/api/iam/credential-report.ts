// Credential report operations on the wire: GenerateCredentialReport, GetCredentialReport. Neither
// has a resource type in AWS's authorization reference, so both are authorized on "*".
import { generateCredentialReport, getCredentialReport } from '../../analyzer/credential-report.ts';
import type { Operations } from '../operation.ts';
import { anyResource } from './targets.ts';

export const credentialReportOperations: Operations = {
  GenerateCredentialReport: {
    target: anyResource,
    async run(_input, call) {
      const now = call.clock.now();
      return call.transact((tx) => generateCredentialReport(tx, call.accountId, now));
    },
  },

  GetCredentialReport: {
    target: anyResource,
    run(_input, call) {
      const { content, generatedTime } = getCredentialReport(call.state, call.accountId, call.clock.now());
      // A blob: the protocol layer base64-encodes it, as AWS sends it.
      return { Content: content, ReportFormat: 'text/csv', GeneratedTime: generatedTime };
    },
  },
};
