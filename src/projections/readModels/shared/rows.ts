import { z } from 'zod';

export const DocRow = z.object({ key: z.string(), doc: z.record(z.string(), z.any()) });
export const CounterRow = z.object({ key: z.string(), dims: z.record(z.string(), z.string()), counters: z.record(z.string(), z.coerce.number()) });
