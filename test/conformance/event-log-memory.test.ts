import { MemoryEventLog } from '@portcullis/core/testing';
import { describeEventLogConformance } from './event-log.suite.js';

describeEventLogConformance('memory', async () => new MemoryEventLog());
