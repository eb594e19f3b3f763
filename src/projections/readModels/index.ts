import type { Projection } from '../runtime/types.ts';
import { dialAttemptsProjection } from './dialAttempts/projection.ts';
import { floorProjection } from './floor/projection.ts';
import { keptCallbacksProjection } from './keptCallbacks/projection.ts';
import { leadsProjection } from './leads/projection.ts';
import { ordersProjection } from './orders/projection.ts';
import { qaScoresProjection } from './qa/projection.ts';

export { dialAttemptsProjection, floorProjection, keptCallbacksProjection, leadsProjection, ordersProjection, qaScoresProjection };

/** Every read model the application runs. */
export const allProjections: Projection[] = [leadsProjection, floorProjection, ordersProjection, dialAttemptsProjection, qaScoresProjection, keptCallbacksProjection];
