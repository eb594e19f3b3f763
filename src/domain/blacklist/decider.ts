import type { Decider, Decision } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { BlacklistCommand } from './commands.ts';
import type { BlacklistEvent } from './events.ts';
import { BLACKLIST_CATEGORY } from './streams.ts';

export interface BlacklistState {
  phone?: string;
  listed: boolean;
}

const initialState = (): BlacklistState => ({ listed: false });

function evolve(s: BlacklistState, e: BlacklistEvent): BlacklistState {
  return { phone: e.data.phone, listed: e.type === 'NumberBlacklisted' };
}

function decide(c: BlacklistCommand, s: BlacklistState): Decision<BlacklistEvent> {
  const at = c.meta.now;
  const by = c.meta.actorId;
  if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', '请填写原因 / say why the number is (un)blacklisted');
  if (c.type === 'BlacklistNumber') {
    if (!isE164(c.data.phone)) return reject('PHONE_NOT_E164', `Blacklist normalized numbers only, not "${c.data.phone}"`);
    if (s.listed) return [];
    return [{ type: 'NumberBlacklisted', data: { phone: c.data.phone, at, reason: c.data.reason, by } }];
  }
  if (!s.listed || !s.phone) return reject('NOT_BLACKLISTED', '该号码不在黑名单 / the number is not on the blacklist');
  return [{ type: 'NumberUnblacklisted', data: { phone: s.phone, at, reason: c.data.reason, by } }];
}

export const blacklistDecider: Decider<BlacklistCommand, BlacklistEvent, BlacklistState> = {
  category: BLACKLIST_CATEGORY,
  initialState,
  evolve,
  decide,
};
