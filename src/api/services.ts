// Every AWS service Gatehouse answers, by the service name its requests are signed for, and the
// one place the dispatcher's operation tables are made from them: the services' tables are
// static; what some operations take from the configuration (ApiDeps) is given here, once.
import { cloudtrailOperations } from './cloudtrail/index.ts';
import { iamOperations } from './iam/index.ts';
import type { ApiDeps, OperationDefinition, OperationHandler, Operations, OperationTable } from './operation.ts';
import { stsOperations } from './sts/index.ts';

const SERVICES: Readonly<Record<string, Operations>> = {
  iam: iamOperations,
  sts: stsOperations,
  cloudtrail: cloudtrailOperations,
};

/** The dispatcher's operations by service and AWS operation name, bound to `deps`. */
export function operationTables(deps: ApiDeps): Record<string, OperationTable> {
  const tables: Record<string, OperationTable> = {};
  for (const [service, operations] of Object.entries(SERVICES)) {
    const table: OperationTable = {};
    for (const [name, operation] of Object.entries(operations)) table[name] = bind(operation, deps);
    tables[service] = table;
  }
  return tables;
}

/**
 * An operation whose `run` takes no `deps` (most, and every one on the hot read path) is run as
 * written; the others are given theirs through a function made here, not per request.
 */
function bind(operation: OperationDefinition, deps: ApiDeps): OperationHandler {
  if (operation.run.length < 3) return operation as OperationHandler;
  return {
    target: operation.target,
    run: (input, call) => operation.run(input, call, deps),
    authorizesInRun: operation.authorizesInRun,
  };
}
