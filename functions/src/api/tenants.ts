/**
 * Who is calling, and what they may ask for. API Gateway (IAM auth) puts the verified caller in
 * `requestContext.authorizer.iam`; a tenant config maps principals to a tenant and the tenant to the DNS zones it
 * owns. A certificate name must lie in (or be) one of those zones — otherwise 403, before anything is written.
 *
 * Principals, most specific first: an exact ARN (`arn:aws:iam::111122223333:role/deployer`), an ARN prefix ending
 * in `*` (`arn:aws:sts::111122223333:assumed-role/deployer/*`, any session of a role), or a 12-digit account id
 * (every principal of that account).
 *
 * A tenant marked `"operator": true` also sees account-wide alerts (`GET /alerts`: alerts without a tenant, such as
 * unmanaged ACM certificates and the dead-letter queue); the flag is optional, so older configs keep working.
 */
import { type AcmeIdentifier, ValidationError } from '@portcullis/core';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import * as z from 'zod/mini';
import { ApiError, ApiErrorCode, type FieldProblem } from './errors.js';
import { problemsOf } from './validation.js';

const ACCOUNT = /^[0-9]{12}$/;
const ARN = /^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[\x21-\x7e]{1,1000}$/;
const ZONE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

const tenantConfigSchema = z.strictObject({
  tenants: z
    .array(
      z.strictObject({
        id: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
        zones: z.array(z.string().check(z.regex(ZONE))).check(z.minLength(1)),
        principals: z
          .array(z.string().check(z.refine((p) => ACCOUNT.test(p) || ARN.test(p), 'must be an account id or an ARN')))
          .check(z.minLength(1)),
        /** Operators also see account-wide alerts (unmanaged ACM certificates, the dead-letter queue). */
        operator: z.optional(z.boolean()),
      }),
    )
    .check(z.minLength(1)),
});
export type TenantConfig = z.infer<typeof tenantConfigSchema>;

/** The verified caller of one request. */
export interface Caller {
  readonly tenant: string;
  readonly principal: string;
  readonly accountId: string;
}

interface Tenant {
  readonly id: string;
  readonly zones: readonly string[];
  readonly operator: boolean;
}

export class TenantDirectory {
  readonly #tenants = new Map<string, Tenant>();
  readonly #exact = new Map<string, Tenant>();
  readonly #prefixes: { prefix: string; tenant: Tenant }[] = [];
  readonly #accounts = new Map<string, Tenant>();

  /** Validates the whole config (strict, unknown keys fail; a principal in two tenants fails) before use. */
  constructor(config: unknown) {
    const parsed = tenantConfigSchema.safeParse(config);
    if (!parsed.success) {
      const first = problemsOf('tenantConfig', parsed.error.issues)[0];
      throw new ValidationError(
        first?.field ?? 'tenantConfig',
        first?.rule ?? 'invalid',
        first?.message ?? 'is invalid',
      );
    }
    const seen = new Set<string>();
    for (const entry of parsed.data.tenants) {
      const tenant: Tenant = { id: entry.id, zones: entry.zones, operator: entry.operator === true };
      if (this.#tenants.has(entry.id)) throw new ValidationError('tenants.id', 'unique', `${entry.id} is listed twice`);
      this.#tenants.set(entry.id, tenant);
      for (const principal of entry.principals) {
        if (seen.has(principal)) {
          throw new ValidationError(`tenants.${entry.id}.principals`, 'unique', `${principal} belongs to two tenants`);
        }
        seen.add(principal);
        if (ACCOUNT.test(principal)) this.#accounts.set(principal, tenant);
        else if (principal.endsWith('*')) this.#prefixes.push({ prefix: principal.slice(0, -1), tenant });
        else this.#exact.set(principal, tenant);
      }
    }
    // Longest prefix first: the most specific pattern wins.
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The caller of an API Gateway v2 request with IAM auth; 401 without an IAM identity, 403 without a tenant. */
  callerOf(event: APIGatewayProxyEventV2WithIAMAuthorizer): Caller {
    const iam = event.requestContext?.authorizer?.iam;
    const principal = iam?.userArn;
    const accountId = iam?.accountId;
    if (typeof principal !== 'string' || principal === '' || typeof accountId !== 'string') {
      throw new ApiError(ApiErrorCode.Unauthenticated, 401, 'the request carries no IAM identity', [
        { field: 'requestContext.authorizer.iam', rule: 'required', message: 'call the API with SigV4 (IAM auth)' },
      ]);
    }
    const tenant =
      this.#exact.get(principal) ??
      this.#prefixes.find(({ prefix }) => principal.startsWith(prefix))?.tenant ??
      this.#accounts.get(accountId);
    if (tenant === undefined) {
      throw new ApiError(ApiErrorCode.Forbidden, 403, `${principal} belongs to no tenant`, [
        { field: 'requestContext.authorizer.iam.userArn', rule: 'tenant', message: 'this principal has no tenant' },
      ]);
    }
    return { tenant: tenant.id, principal, accountId };
  }

  /** The zone of `tenant` that holds `name` (wildcard label ignored), or undefined. */
  zoneOf(tenant: string, name: string): string | undefined {
    const zones = this.#zonesOf(tenant);
    const base = name.startsWith('*.') ? name.slice(2) : name;
    return zones.filter((zone) => base === zone || base.endsWith(`.${zone}`)).sort((a, b) => b.length - a.length)[0];
  }

  /** 403 naming every identifier outside the tenant's zones (IP identifiers belong to no zone). */
  requireOwned(tenant: string, identifiers: readonly AcmeIdentifier[], fieldOf: (index: number) => string): void {
    const problems: FieldProblem[] = [];
    identifiers.forEach((identifier, index) => {
      if (identifier.type === 'dns' && this.zoneOf(tenant, identifier.value) !== undefined) return;
      problems.push({
        field: fieldOf(index),
        rule: 'zone-not-owned',
        message: `${identifier.value} is not in a zone of tenant ${tenant} (${this.#zonesOf(tenant).join(', ')})`,
      });
    });
    if (problems.length > 0) {
      throw new ApiError(ApiErrorCode.Forbidden, 403, problems.map((p) => p.message).join('; '), problems);
    }
  }

  /** Whether `tenant` is marked operator (sees account-wide alerts). */
  isOperator(tenant: string): boolean {
    return this.#tenants.get(tenant)?.operator === true;
  }

  #zonesOf(tenant: string): readonly string[] {
    return this.#tenants.get(tenant)?.zones ?? [];
  }
}
