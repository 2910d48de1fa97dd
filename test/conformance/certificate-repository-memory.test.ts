import { MemoryCertificateRepository } from '@portcullis/core/testing';
import { describeCertificateRepositoryConformance } from './certificate-repository.suite.js';

describeCertificateRepositoryConformance('memory', async () => new MemoryCertificateRepository());
