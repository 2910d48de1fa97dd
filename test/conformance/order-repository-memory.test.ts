import { MemoryOrderRepository } from '@portcullis/core/testing';
import { describeOrderRepositoryConformance } from './order-repository.suite.js';

describeOrderRepositoryConformance('memory', async () => new MemoryOrderRepository());
