import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_CONFIG } from './config.ts';
import { dispositionMeaning } from './dispositions.ts';

describe('what a disposition means for dialing again', () => {
  it('reads the default Chinese list: a sale, no interest and an empty number close the lead; 预约回访 asks for a callback', () => {
    const meanings = Object.fromEntries((DEFAULT_CAMPAIGN_CONFIG.dispositions ?? []).map((d) => [d, dispositionMeaning(d)]));
    expect(meanings).toEqual({ 成交: 'final', 考虑中: 'open', 无意向: 'final', 预约回访: 'callback', 空号: 'final' });
  });

  it('reads the English codes the bots and older campaigns use, in any case', () => {
    expect(['SALE', 'not_interested', 'Wrong_Number'].map(dispositionMeaning)).toEqual(['final', 'final', 'final']);
    expect(dispositionMeaning('callback')).toBe('callback');
    expect(dispositionMeaning('INTERESTED')).toBe('open');
  });
});
