/**
 * Base of every Portcullis error. `code` is stable (API mapping, metrics, tests match on it), `retryable` tells the
 * caller whether the same call may succeed later, and `cause` keeps the original error. Messages name the outside
 * system first ("route53: zone Z123 for _acme-challenge.example.com: ...") and never carry key material.
 */
export class PortcullisError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Bad input: names the field and the rule it broke. Raised before any side effect. */
export class ValidationError extends PortcullisError {
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string, message: string) {
    super('ValidationFailed', `${field}: ${message}`);
    this.field = field;
    this.rule = rule;
  }
}

/**
 * A conditional write lost: the record changed since it was read (version mismatch) or a create found it present.
 * Retryable: re-read, decide again, write again (never blindly overwrite).
 */
export class ConflictError extends PortcullisError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('Conflict', message, { retryable: true, cause: options.cause });
  }
}

/** The addressed item does not exist (an update or promote of something absent). Reads return `undefined` instead. */
export class NotFoundError extends PortcullisError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('NotFound', message, { cause: options.cause });
  }
}

/**
 * An alert raised outside the monitor schedule (the ACM expiry event) could not be sent or stored. Retryable: the
 * event handler fails so the platform delivers the event again.
 */
export class AlertNotSentError extends PortcullisError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('AlertNotSent', message, { retryable: true, cause: options.cause });
  }
}
