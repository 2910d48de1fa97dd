/**
 * Stand-in for bun's types in `npm run typecheck:infra` only (mapped by `paths` in infra/tsconfig.json). SST's
 * platform imports `Shell` from "bun" for one optional config hook; the real bun-types would also replace Node's
 * globals (`URL`, `fetch`) for the whole program and break the Node code infra/lib imports.
 */
export type Shell = (strings: TemplateStringsArray, ...values: unknown[]) => Promise<unknown>;
