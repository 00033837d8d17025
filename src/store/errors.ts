// Errors the store raises. They carry no AWS code: the domain decides what they mean (a name
// conflict becomes EntityAlreadyExists with the message of the operation at hand).

export class NameConflictError extends Error {
  readonly kind: string;
  readonly accountId: string;
  readonly entityName: string;

  constructor(kind: string, accountId: string, name: string) {
    super(`a ${kind} named ${name} already exists in account ${accountId}`);
    this.name = 'NameConflictError';
    this.kind = kind;
    this.accountId = accountId;
    this.entityName = name;
  }
}

/** The database was written by a newer Gatehouse (it has migrations this build does not know). */
export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the database is at schema version ${found}, newer than this build's ${known}`);
    this.name = 'SchemaTooNewError';
  }
}
