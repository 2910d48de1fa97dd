/** What the issuance flow reports as it goes (the CLI prints these; the lifecycle records them as events). */
export const IssuanceStep = {
  /** The ACME order exists; its URL is known (persist it before anything else). */
  OrderCreated: 'OrderCreated',
  /** Authorizations were read; some may already be valid (authorization reuse). */
  AuthorizationsLoaded: 'AuthorizationsLoaded',
  /** A `_acme-challenge` name is delegated by CNAME; the record is written at the target. */
  ChallengeDelegated: 'ChallengeDelegated',
  /** All DNS-01 records were written (one change per zone) or all HTTP-01 tokens stored. */
  ChallengesPresented: 'ChallengesPresented',
  /** The DNS provider reports its change as committed (Route53 INSYNC). */
  ChangeCommitted: 'ChangeCommitted',
  /** Some authoritative nameserver does not serve every value yet. */
  PropagationPending: 'PropagationPending',
  /** Every authoritative nameserver serves every value. */
  Propagated: 'Propagated',
  /** The CA was told to validate. */
  ChallengesAccepted: 'ChallengesAccepted',
  /** Every authorization is valid. */
  AuthorizationsValid: 'AuthorizationsValid',
  /** Challenge records and tokens were removed. */
  CleanedUp: 'CleanedUp',
  /** A fresh key was generated and the CSR sent. */
  Finalized: 'Finalized',
  /** The certificate chain was downloaded. */
  Downloaded: 'Downloaded',
} as const;
export type IssuanceStep = (typeof IssuanceStep)[keyof typeof IssuanceStep];

export interface IssuanceEvent {
  readonly step: IssuanceStep;
  /** One sentence for people; never contains key material. */
  readonly message: string;
}

export type IssuanceListener = (event: IssuanceEvent) => void;
