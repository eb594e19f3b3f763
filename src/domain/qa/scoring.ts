import type { DomainError } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { Criterion, CriterionScore } from './events.ts';

export function checkCriteria(criteria: unknown): DomainError | undefined {
  if (!Array.isArray(criteria) || criteria.length === 0)
    return reject('CRITERIA_REQUIRED', 'A scorecard has at least one criterion');
  const ids = new Set<string>();
  let sum = 0;
  for (const c of criteria as Criterion[]) {
    if (!isNonEmpty(c?.id) || !isNonEmpty(c.label))
      return reject('CRITERION_INVALID', 'Every criterion has an id and a label');
    if (ids.has(c.id)) return reject('CRITERION_INVALID', `Criterion ${c.id} appears twice`);
    ids.add(c.id);
    if (!Number.isInteger(c.weight) || c.weight <= 0)
      return reject('WEIGHT_INVALID', `Weight of ${c.label} must be a positive whole number`);
    sum += c.weight;
  }
  if (sum !== 100) return reject('WEIGHTS_NOT_100', `Weights add up to ${sum}; they must add up to 100`, { sum });
  return undefined;
}

/** One score per criterion, each from 0 to the criterion's weight; the total is their sum, out of 100. */
export function totalScore(criteria: Criterion[], scores: unknown): number | DomainError {
  if (!Array.isArray(scores)) return reject('SCORES_INVALID', 'Scores are a list of { criterionId, score }');
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const seen = new Set<string>();
  let total = 0;
  for (const s of scores as CriterionScore[]) {
    const c = byId.get(s?.criterionId);
    if (!c) return reject('SCORES_INVALID', `"${s?.criterionId}" is not a criterion of this scorecard`);
    if (seen.has(c.id)) return reject('SCORES_INVALID', `${c.label} is scored twice`);
    seen.add(c.id);
    if (!Number.isInteger(s.score) || s.score < 0 || s.score > c.weight)
      return reject('SCORES_INVALID', `${c.label} scores from 0 to ${c.weight}`);
    total += s.score;
  }
  const missing = criteria.filter((c) => !seen.has(c.id)).map((c) => c.label);
  if (missing.length) return reject('SCORES_INCOMPLETE', `Not scored yet: ${missing.join(', ')}`, { missing });
  return total;
}
