// The gateway controller entry: provider → translate → build → snapshot cache → xDS server, with status.

export { type ControllerConfig, ControllerEnv, controllerConfigFromEnv } from './config.js';
export { sourcesOfResource } from './provenance.js';
export { RejectionReason, type RejectionStatus, withRejections } from './rejection-status.js';
export {
  type ControllerLogEvent,
  type ControllerOptions,
  type RunningController,
  runController,
  type StatusSink,
} from './run.js';
