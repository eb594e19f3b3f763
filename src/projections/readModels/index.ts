import type { Projection } from '../runtime/types.ts';
import { dialAttemptsProjection } from './dialAttempts/projection.ts';
import { floorProjection } from './floor/projection.ts';
import { leadsProjection } from './leads/projection.ts';
import { ordersProjection } from './orders/projection.ts';

export { dialAttemptsProjection, floorProjection, leadsProjection, ordersProjection };

/** Every read model the application runs. */
export const allProjections: Projection[] = [leadsProjection, floorProjection, ordersProjection, dialAttemptsProjection];
