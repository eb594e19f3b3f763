/** ESL headers → telephony facts, and de-duplication by (Core-UUID, Event-Sequence). */
import { describe, expect, it } from 'vitest';
import { FactDeduper, normalize } from '../../src/telephony/esl/normalize.ts';

const std = (name: string, seq = 1) => ({ 'Event-Name': name, 'Core-UUID': 'core-1', 'Event-Sequence': String(seq), 'Event-Date-Timestamp': '1700000000123456' });

describe('normalize', () => {
  it('reports a bridge to both legs, with our tags from channel variables', () => {
    const facts = normalize({ ...std('CHANNEL_BRIDGE'), 'Unique-ID': 'a', 'Bridge-A-Unique-ID': 'a', 'Bridge-B-Unique-ID': 'b', variable_callstream_campaign_id: 'c1', variable_callstream_role: 'customer' });
    expect(facts).toEqual([
      { kind: 'bridged', callId: 'a', otherCallId: 'b', coreId: 'core-1', seq: 1, at: 1700000000123, tags: { campaignId: 'c1', role: 'customer' } },
      { kind: 'bridged', callId: 'b', otherCallId: 'a', coreId: 'core-1', seq: 1, at: 1700000000123, tags: {} },
    ]);
  });

  it('reads hangup causes and CDR numbers, DTMF in ms, and AMD verdicts from both detectors', () => {
    const [done] = normalize({ ...std('CHANNEL_HANGUP_COMPLETE'), 'Unique-ID': 'a', 'Hangup-Cause': 'USER_BUSY', variable_billsec: '0', variable_duration: '4', variable_sip_term_status: '486', variable_answer_epoch: '0' });
    expect(done).toMatchObject({ kind: 'hangup-complete', cause: 'USER_BUSY', cdr: { billsec: 0, duration: 4, answerEpoch: 0, sipTermStatus: '486' } });
    expect(normalize({ ...std('DTMF'), 'Unique-ID': 'a', 'DTMF-Digit': '#', 'DTMF-Duration': '2000', 'DTMF-Source': 'RTP' })[0]).toMatchObject({ digit: '#', durationMs: 250 });
    expect(normalize({ ...std('CUSTOM'), 'Event-Subclass': 'avmd::beep', 'Unique-ID': 'a', 'Beep-Status': 'DETECTED' })[0]).toMatchObject({ kind: 'amd-result', result: 'machine' });
    expect(normalize({ ...std('CUSTOM'), 'Event-Subclass': 'amd::info', 'Unique-ID': 'a', variable_amd_result: 'NOT_SURE' })[0]).toMatchObject({ kind: 'amd-result', result: 'unsure' });
    expect(normalize({ ...std('BACKGROUND_JOB'), 'Job-UUID': 'j', 'Job-Command': 'originate' }, '-ERR NO_ANSWER\n')[0]).toMatchObject({ kind: 'job-done', ok: false, jobId: 'j' });
    expect(normalize({ ...std('CHANNEL_STATE'), 'Unique-ID': 'a' })).toEqual([]);
  });
});

describe('FactDeduper', () => {
  it('passes each (core, seq) once, in any order, and forgets beyond its window', () => {
    const d = new FactDeduper(3);
    expect([5, 3, 5, 4, 3].map((s) => d.firstTime('core-1', s))).toEqual([true, true, false, true, false]);
    expect(d.firstTime('core-2', 5)).toBe(true); // a restarted switch reuses sequence numbers
    d.firstTime('core-1', 6); // pushes 5 out of the window of 3
    expect(d.firstTime('core-1', 5)).toBe(true);
  });
});
