import { MemoryCertificateStore } from '@portcullis/core/testing';
import { describeCertificateStoreConformance } from './certificate-store.suite.js';

describeCertificateStoreConformance('memory', async () => ({
  store: new MemoryCertificateStore(),
  certificateId: 'c1',
}));
