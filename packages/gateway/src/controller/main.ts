/**
 * The controller process (deploy/30-controller.yaml runs it): configuration from the environment, the Kubernetes
 * provider + status writer in a cluster or the File provider locally, then `runController` until SIGTERM.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { FileProvider } from '../providers/file/file-provider.js';
import { KubernetesProvider } from '../providers/kubernetes/kubernetes-provider.js';
import { KubernetesStatusWriter } from '../providers/kubernetes/status-writer.js';
import { controllerConfigFromEnv } from './config.js';
import { runController } from './run.js';

const log = (level: string, message: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level, message, ...extra })}\n`);

async function main(): Promise<void> {
  const config = controllerConfigFromEnv(process.env);
  let provider: FileProvider | KubernetesProvider;
  let statusWriter: KubernetesStatusWriter | undefined;
  if (config.provider.kind === 'file') {
    provider = new FileProvider({ directory: config.provider.directory });
  } else {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault(); // in-cluster service account, else KUBECONFIG / ~/.kube/config
    provider = new KubernetesProvider({ kubeConfig });
    statusWriter = new KubernetesStatusWriter({ kubeConfig });
  }
  const controller = await runController({
    provider,
    xds: { host: config.host, port: config.xdsPort, http: { host: config.host, port: config.httpPort } },
    translate: { addresses: config.addresses, proxyProtocol: config.proxyProtocol },
    ...(statusWriter === undefined ? {} : { statusWriter }),
    log: (event) => log(event.level, event.message, event.error === undefined ? {} : { error: String(event.error) }),
  });
  log('info', 'controller started', { xdsPort: controller.server.port, provider: config.provider.kind });
  const stop = async () => {
    log('info', 'stopping');
    await controller.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  log('error', 'controller failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
