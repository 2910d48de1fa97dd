// The record name is domain knowledge the issuance flow in core needs too; it lives there, and is re-exported here
// so the DNS package keeps offering the whole of its provider-independent surface.
export { ACME_CHALLENGE_LABEL, challengeRecordName } from '@portcullis/core';
