// CloudTrail (2013-11-01) input constraints. LookupEvents checks its own input and answers with
// CloudTrail's specific exceptions (InvalidMaxResultsException, InvalidLookupAttributesException,
// …; api/cloudtrail/lookup-events.ts), so nothing is checked generically here.
import type { ConstraintTable } from './types.ts';

export const CLOUDTRAIL_CONSTRAINTS: ConstraintTable = { members: {}, overrides: {} };
