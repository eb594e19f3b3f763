import { describe, expect, it } from 'vitest';
import { ivrStep } from '../../src/domain/ivr/callEvents.ts';
import type { IvrNode } from '../../src/domain/ivr/events.ts';

const node: IvrNode = {
  id: 'root',
  promptText: '销售请按1',
  choices: { '1': { kind: 'queue', id: 'q-sales' }, '0': { kind: 'node', id: 'operator' } },
  timeoutSeconds: 5,
  maxRetries: 2,
  onFailure: { kind: 'voicemail', id: 'vm' },
};

describe('one input at an IVR node', () => {
  it('given a fresh node, when a listed key comes, then it leads to the key’s target', () => {
    expect(ivrStep(node, 0, { kind: 'digit', digit: '1' })).toEqual({ kind: 'go', target: { kind: 'queue', id: 'q-sales' }, reason: 'KEY_PRESSED', valid: true, failures: 0 });
    expect(ivrStep(node, 2, { kind: 'digit', digit: '0' })).toMatchObject({ kind: 'go', target: { kind: 'node', id: 'operator' } });
  });

  it('given retries left, when a wrong key or silence comes, then the prompt plays again', () => {
    expect(ivrStep(node, 0, { kind: 'digit', digit: '7' })).toEqual({ kind: 'replay', failures: 1, valid: false });
    expect(ivrStep(node, 1, { kind: 'timeout' })).toEqual({ kind: 'replay', failures: 2, valid: false });
  });

  it('given the retries used up, when the input fails again, then the failure target applies', () => {
    expect(ivrStep(node, 2, { kind: 'timeout' })).toEqual({ kind: 'go', target: { kind: 'voicemail', id: 'vm' }, reason: 'NO_VALID_INPUT', valid: false, failures: 3 });
    expect(ivrStep({ ...node, maxRetries: 0 }, 0, { kind: 'digit', digit: '#' })).toMatchObject({ kind: 'go', reason: 'NO_VALID_INPUT' });
  });
});
