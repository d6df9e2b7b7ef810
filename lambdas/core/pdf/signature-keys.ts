/*
 * Custom signature dictionary entries (second-class names, ignored by other readers): written by sign.ts,
 * read by verify.ts. A module of their own so that verifying does not load the signing code.
 */
export const DOCFLOW_CAPACITY_KEY = 'DocflowCapacity';
export const DOCFLOW_KIND_KEY = 'DocflowKind';
export const DOCFLOW_DELEGATION_KEY = 'DocflowDelegation';
