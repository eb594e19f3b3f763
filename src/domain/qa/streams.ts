export const SCORECARD_CATEGORY = 'scorecard';
export const EVALUATION_CATEGORY = 'evaluation';
export const scorecardStreamId = (scorecardId: string): string => `${SCORECARD_CATEGORY}-${scorecardId}`;
/** One evaluation per call. */
export const evaluationStreamId = (callId: string): string => `${EVALUATION_CATEGORY}-${callId}`;
