import { z } from 'zod';

/** The simulated outbound floor (see shared/dialer-reference-scenario.md). Unknown fields are an error. */
const duration = z.union([
  z.strictObject({ dist: z.literal('gamma'), shape: z.number().positive(), mean: z.number().positive() }),
  z.strictObject({ dist: z.literal('exponential'), mean: z.number().positive() }),
  z.strictObject({ dist: z.literal('lognormal'), mean: z.number().positive(), cv: z.number().positive() }),
  z.strictObject({ dist: z.literal('fixed'), mean: z.number().nonnegative() }),
]);

export const floorSchema = z
  .strictObject({
    name: z.string().optional(),
    agents: z.number().int().min(1).max(500),
    liveAnswerProbability: z.number().gt(0).lt(1),
    ringToAnswer: duration,
    noAnswerTimeout: z.number().positive(),
    talk: duration,
    wrapUp: z.number().nonnegative(),
    connectWithin: z.number().nonnegative(),
    shiftHours: z.number().positive().max(24),
    shifts: z.number().int().min(1),
    seed: z.number().int(),
    machine: z
      .strictObject({
        probability: z.number().min(0).lt(1),
        detectSeconds: z.number().nonnegative(),
        falsePositive: z.number().min(0).max(1),
        falseNegative: z.number().min(0).max(1),
      })
      .optional(),
    liveAnswerDrift: z.strictObject({ to: z.number().gt(0).lt(1) }).optional(),
  })
  .refine((f) => !f.machine || liveShare(f) + machineShare(f) <= 1, {
    message: 'live answer plus machine answer probability exceeds 1',
  });

export type Floor = z.infer<typeof floorSchema>;
export type Duration = z.infer<typeof duration>;

function liveShare(f: { liveAnswerProbability: number; liveAnswerDrift?: { to: number } }): number {
  return Math.max(f.liveAnswerProbability, f.liveAnswerDrift?.to ?? 0);
}
function machineShare(f: { liveAnswerProbability: number; liveAnswerDrift?: { to: number }; machine?: { probability: number } }): number {
  const m = f.machine?.probability ?? 0;
  return (liveShare(f) * m) / (1 - m);
}

export const referenceFloor: Floor = {
  name: 'reference',
  agents: 20,
  liveAnswerProbability: 0.25,
  ringToAnswer: { dist: 'gamma', shape: 4, mean: 8 },
  noAnswerTimeout: 25,
  talk: { dist: 'exponential', mean: 120 },
  wrapUp: 15,
  connectWithin: 2,
  shiftHours: 8,
  shifts: 20,
  seed: 1,
};

/** Parses a floor; the error names every bad or unknown field. */
export function parseFloor(input: unknown): Floor {
  const result = floorSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(floor)'}: ${i.message}`);
    throw new Error(`invalid floor: ${lines.join('; ')}`);
  }
  return result.data;
}
