import { MemoryAlertRepository, MemoryObservationStore } from '@portcullis/core/testing';
import { describeAlertRepositoryConformance } from './alert-repository.suite.js';
import { describeObservationStoreConformance } from './observation-store.suite.js';

describeAlertRepositoryConformance('memory', async () => new MemoryAlertRepository());
describeObservationStoreConformance('memory', async () => new MemoryObservationStore());
