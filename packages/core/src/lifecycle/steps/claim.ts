/**
 * Claims on the steps whose calls are not safe to make twice at the same time: newOrder (a second order), accepting
 * challenges (a CA refuses a second POST once the challenge left `pending`), finalize (two fresh keys racing into
 * the store, the CA signing the CSR of the key that lost) and download + promote (two workers moving Secrets
 * Manager stages at once). The claim is written conditionally on the record's version BEFORE the call: of
 * concurrent duplicates exactly one wins that write; the others get `ConflictError` and never make the call, and
 * later readers wait out the lease (decide.ts). The claim is read back to confirm it (see below). The step's next write (`advance`) drops the claim; a worker that
 * crashed leaves it until the lease ends, and the step then runs again (each step copes with a repeat).
 */
import { ConflictError } from '../../errors.js';
import type { StepContext } from '../dependencies.js';
import { inFlight } from '../status.js';

export async function claimStep(ctx: StepContext, step: string): Promise<void> {
  const issuance = inFlight(ctx.record.status);
  const token = Math.floor(ctx.deps.random.next() * 2 ** 48).toString(36);
  await ctx.persistIntent({ ...ctx.record.status, issuance: { ...issuance, claim: { step, at: ctx.now, token } } });
  // Read back: DynamoDB's conditional write lets exactly one duplicate win, but a store whose condition check and
  // write are not atomic under concurrent requests (moto_server, found by the three-concurrent-workers test) can
  // let two win, the later write replacing the earlier. Only the worker whose token is stored goes on.
  const stored = await ctx.deps.certificates.get(ctx.record.id);
  if (stored?.status.issuance?.claim?.token !== token) {
    throw new ConflictError(`lifecycle: certificate ${ctx.record.id}: another worker claimed ${step}`);
  }
}
