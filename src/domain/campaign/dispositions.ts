/**
 * What a disposition means for dialing the lead again. Campaigns name their own dispositions (the default list
 * is Chinese: 成交, 考虑中, 无意向, 预约回访, 空号); the dialer only needs to know which close the lead and which
 * ask for a callback. Unknown codes leave the lead open to the campaign's retry rules.
 */
export type DispositionMeaning = 'final' | 'callback' | 'open';

const FINAL = new Set([
  'SALE', 'NOT_INTERESTED', 'WRONG_NUMBER', 'DO_NOT_CALL', 'REFUSED', 'INVALID',
  '成交', '无意向', '空号', '错号', '拒绝', '拒访', '勿扰', '已购买', '停机',
]);
const CALLBACK = new Set(['CALLBACK', '预约回访', '回访', '稍后再打']);

export function dispositionMeaning(code: string): DispositionMeaning {
  const c = code.trim();
  const upper = c.toUpperCase();
  if (FINAL.has(upper) || FINAL.has(c)) return 'final';
  if (CALLBACK.has(upper) || CALLBACK.has(c)) return 'callback';
  return 'open';
}
