import type { Projection } from '../runtime/types.ts';
import { floorProjection } from './floor/projection.ts';
import { leadsProjection } from './leads/projection.ts';
import { ordersProjection } from './orders/projection.ts';

export { floorProjection, leadsProjection, ordersProjection };

/** Every read model the application runs. */
export const allProjections: Projection[] = [leadsProjection, floorProjection, ordersProjection];
