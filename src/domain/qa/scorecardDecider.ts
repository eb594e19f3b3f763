import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { ScorecardCommand } from './commands.ts';
import type { Criterion, ScorecardEvent } from './events.ts';
import { checkCriteria } from './scoring.ts';
import { SCORECARD_CATEGORY } from './streams.ts';

export interface ScorecardState {
  scorecardId?: string;
  version: number;
  name?: string;
  criteria: Criterion[];
}

function decide(c: ScorecardCommand, s: ScorecardState): Decision<ScorecardEvent> {
  const d = c.data;
  if (!isNonEmpty(d.scorecardId) || !isNonEmpty(d.name))
    return reject('SCORECARD_NAME_REQUIRED', 'A scorecard has an id and a name');
  if (s.scorecardId && s.scorecardId !== d.scorecardId)
    return reject('SCORECARD_MISMATCH', `This is scorecard ${s.scorecardId}`);
  const bad = checkCriteria(d.criteria);
  if (bad) return bad;
  // Redefining makes a new version; calls already scored keep the version they were scored with.
  const version = s.version + 1;
  return [
    {
      type: 'ScorecardDefined',
      data: {
        scorecardId: d.scorecardId,
        name: d.name,
        version,
        criteria: d.criteria,
        definedBy: c.meta.actorId,
        at: c.meta.now,
      },
    },
  ];
}

export const scorecardDecider: Decider<ScorecardCommand, ScorecardEvent, ScorecardState> = {
  category: SCORECARD_CATEGORY,
  initialState: () => ({ version: 0, criteria: [] }),
  evolve: (s, e) =>
    e.type === 'ScorecardDefined'
      ? { scorecardId: e.data.scorecardId, version: e.data.version, name: e.data.name, criteria: e.data.criteria }
      : s,
  decide,
};
