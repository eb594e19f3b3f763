import { describe, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { BlacklistCommand } from './commands.ts';
import { blacklistDecider } from './decider.ts';
import type { BlacklistEvent } from './events.ts';

const at = '2026-11-23T02:00:00.000Z';
const P = '+8613800138000';
const cmd = <C extends BlacklistCommand>(type: C['type'], data: C['data']) => ({ type, data, meta: { now: at, actorId: 'admin-1' } }) as C;
const listed: BlacklistEvent = { type: 'NumberBlacklisted', data: { phone: P, at, reason: '骚扰 abusive caller', by: 'admin-1' } };

describe('blacklist', () => {
  it('lists a number with who and why; listing it again changes nothing', () => {
    given(blacklistDecider).when(cmd('BlacklistNumber', { phone: P, reason: '骚扰 abusive caller' })).then([listed]);
    given(blacklistDecider, [listed]).when(cmd('BlacklistNumber', { phone: P, reason: 'again' })).then([]);
  });

  it('takes a listed number off with a reason; a number not listed is refused', () => {
    given(blacklistDecider, [listed])
      .when(cmd('UnblacklistNumber', { reason: 'listed by mistake' }))
      .then([{ type: 'NumberUnblacklisted', data: { phone: P, at, reason: 'listed by mistake', by: 'admin-1' } }]);
    given(blacklistDecider).when(cmd('UnblacklistNumber', { reason: 'x' })).thenRejects('NOT_BLACKLISTED');
  });

  it('refuses a raw number and a missing reason', () => {
    given(blacklistDecider).when(cmd('BlacklistNumber', { phone: '138 0013 8000', reason: 'x' })).thenRejects('PHONE_NOT_E164');
    given(blacklistDecider).when(cmd('BlacklistNumber', { phone: P, reason: ' ' })).thenRejects('REASON_REQUIRED');
  });
});
