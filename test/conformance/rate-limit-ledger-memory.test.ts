import { MemoryRateLimitLedger } from '@portcullis/core/testing';
import { describeRateLimitLedgerConformance } from './rate-limit-ledger.suite.js';

describeRateLimitLedgerConformance('memory', async () => new MemoryRateLimitLedger());
