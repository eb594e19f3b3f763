import type { Command } from '../decider.ts';
import type { QueueConfig } from './events.ts';

export type CreateQueue = Command<
  'CreateQueue',
  { queueId: string; name: string; departmentId: string; config?: Partial<QueueConfig> }
>;
export type ConfigureQueue = Command<'ConfigureQueue', { config: Partial<QueueConfig> }>;

export type QueueCommand = CreateQueue | ConfigureQueue;
