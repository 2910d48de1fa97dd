/// <reference path="./.sst/platform/config.d.ts" />
/**
 * Portcullis on AWS (SST 4). Thin wiring only: every decision — IAM statements, schedules, names, environment,
 * alarms, config validation — is a pure, unit-tested function in infra/lib/. The stage's settings come from
 * infra/stages/<stage>.json (see infra/stages/example.json and docs/design/infrastructure.md).
 */
export default $config({
  app(input) {
    return {
      name: 'portcullis',
      home: 'aws',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
      // The provider version SST 4.17.1 installs; pinned so a deploy does not change providers silently.
      providers: { aws: '7.20.0' },
    };
  },
  async run() {
    const { loadInfraConfig } = await import('./infra/config.js');
    const { createTables, createSecrets } = await import('./infra/storage.js');
    const { createMessaging } = await import('./infra/messaging.js');
    const { createFunctions } = await import('./infra/functions.js');
    const { createTriggers } = await import('./infra/triggers.js');
    const { createAlarms } = await import('./infra/alarms.js');

    const config = loadInfraConfig($app.stage);
    const tables = createTables(config);
    const secrets = createSecrets(config);
    const messaging = createMessaging(config);
    const functions = createFunctions({ config, tables, messaging, secrets });
    const { api } = createTriggers(config, functions, messaging);
    createAlarms(config, functions, messaging);

    return {
      apiUrl: api.url,
      alertTopicArn: messaging.alertTopic.arn,
      reconcileQueueUrl: messaging.reconcileQueue.url,
      deadLetterQueueUrl: messaging.deadLetterQueue.url,
    };
  },
});
