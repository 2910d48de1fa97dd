import { MemoryTarget } from '@portcullis/core/testing';
import { describeTargetConformance } from './target.suite.js';

describeTargetConformance('memory', async () => ({
  target: new MemoryTarget({ quotaScope: 'acm:local' }),
  context: { certificateId: 'c1', targetId: 'acm', tenant: 'tenant-a' },
}));
