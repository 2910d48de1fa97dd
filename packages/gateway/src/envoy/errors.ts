import { PortcullisError } from '@portcullis/core';

/** Stable codes of the Envoy builder and codec errors. */
export const EnvoyErrorCode = {
  /** A resource failed strict decoding: unknown field, bad enum name, wrong type, non-canonical JSON. */
  DecodeFailed: 'EnvoyDecodeFailed',
  /** A type URL that is not one of the generated Envoy types. */
  UnknownType: 'EnvoyUnknownType',
  /** The model holds something the Envoy API cannot express (a builder refuses rather than emit a wrong resource). */
  Unrepresentable: 'EnvoyUnrepresentable',
} as const;
export type EnvoyErrorCode = (typeof EnvoyErrorCode)[keyof typeof EnvoyErrorCode];

/** A resource (JSON or binary) that does not decode strictly with the real Envoy protos. */
export class EnvoyDecodeError extends PortcullisError {
  constructor(typeName: string, detail: string, cause?: unknown) {
    super(EnvoyErrorCode.DecodeFailed, `envoy: ${typeName}: ${detail}`, { cause });
  }
}

/** A type URL with no generated message type. */
export class EnvoyUnknownTypeError extends PortcullisError {
  constructor(typeUrl: string) {
    super(EnvoyErrorCode.UnknownType, `envoy: type ${typeUrl} is not a generated Envoy type`);
  }
}

/** The model asks for something the Envoy API cannot express; names the model object and field. */
export class EnvoyUnrepresentableError extends PortcullisError {
  constructor(object: string, field: string, detail: string) {
    super(EnvoyErrorCode.Unrepresentable, `envoy: ${object}: ${field}: ${detail}`);
  }
}
