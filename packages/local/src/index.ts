export type { NamedConfInput, PebbleConfigInput, PebbleEnvInput, TsigKey } from './config.js';
export { renderNamedConf, renderPebbleConfig, renderPebbleEnv, renderZoneFile } from './config.js';
export type { AttachOptions } from './detached-stack.js';
export {
  attachLocalStack,
  loadLocalStackFromEnv,
  resolveStateFile,
  STATE_FILE_NAME,
  startDetachedLocalStack,
} from './detached-stack.js';
export { formatShellExports, LocalStackEnv, renderStackEnv } from './env.js';
export {
  LocalStackErrorCode,
  LocalStackRequestError,
  LocalStackStartError,
  LocalStackStateError,
} from './errors.js';
export type { Http01Responder, Http01ResponderOptions } from './http01-responder.js';
export { MemoryHttp01TokenStore, startHttp01Responder } from './http01-responder.js';
export type { CertStatus, LocalStack } from './local-stack.js';
export { normalizeSerialHex } from './local-stack.js';
export type { LocalStackOptions } from './options.js';
export {
  type BindTarget,
  type LocalBind,
  type PublishedRecord,
  type Route53BindSyncOptions,
  type Route53BindSyncResult,
  Route53SyncError,
  Route53SyncErrorCode,
  syncingRoute53Provider,
  syncRoute53ToBind,
} from './route53-sync.js';
export type { LocalStackState } from './stack-state.js';
export { DEFAULT_ZONES, LocalStackCommand, startLocalStack, startLocalStackState } from './start-local-stack.js';
