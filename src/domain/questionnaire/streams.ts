export const QUESTIONNAIRE_CATEGORY = 'questionnaire';
export const ANSWERS_CATEGORY = 'answers';
export const questionnaireStreamId = (questionnaireId: string): string =>
  `${QUESTIONNAIRE_CATEGORY}-${questionnaireId}`;
/** Answers for one call; a popular questionnaire would otherwise grow one huge stream. */
export const answersStreamId = (callId: string): string => `${ANSWERS_CATEGORY}-${callId}`;
