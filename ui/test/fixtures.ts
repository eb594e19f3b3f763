import type { Customer360 } from '../src/lib/customer.ts';

/** A known customer as the API's customer(phone) returns it. */
export function knownCustomer(): Customer360 {
  return {
    phone: '+8613800138000',
    leads: [{
      id: 'lead-1', phone: '+8613800138000', phoneDisplay: '138 0013 8000', name: '张伟', status: 'IN_PROGRESS', attempts: 2,
      lastDisposition: '考虑中', lastCalledAt: '2026-03-01T02:00:00Z', nextCallbackAt: null, customFields: { 城市: '杭州', 会员等级: '金卡' },
      ownedSince: '2026-02-20T01:00:00Z', ownershipExpiresAt: '2026-03-20T01:00:00Z', owner: { id: 'u1', displayName: '王丽' }, campaign: { id: 'c1', name: '春季保健品' }, position: 40,
    }],
    calls: { nodes: [
      { id: 'call-2', direction: 'OUTBOUND', startedAt: '2026-03-01T02:00:00Z', answeredAt: '2026-03-01T02:00:09Z', endedAt: '2026-03-01T02:03:00Z', talkSeconds: 171, outcome: 'ANSWERED',
        disposition: '考虑中', dispositionNote: '下周再联系', agent: { id: 'u2', displayName: '李娜' },
        recordings: [{ id: 'rec-2', sha256: 'ab12cd34ef56aa77' }], position: 30 },
      { id: 'call-1', direction: 'OUTBOUND', startedAt: '2026-02-25T02:00:00Z', answeredAt: null, endedAt: '2026-02-25T02:00:30Z', talkSeconds: null, outcome: 'NO_ANSWER',
        disposition: null, dispositionNote: null, agent: null, recordings: [], position: 20 },
    ] },
    orders: { nodes: [{ id: 'ord-1', placedAt: '2026-03-01T02:02:00Z', status: 'APPROVED', total: 39800, pointsEarned: 40, agent: { id: 'u2', displayName: '李娜' },
      lines: [{ name: '维生素C', quantity: 2, unitPrice: 19900 }], position: 31 }] },
    callbacks: [],
    dnc: null,
    ownership: [{ owner: { id: 'u1', displayName: '王丽' }, from: '2026-02-20T01:00:00Z', to: null, reason: 'claimed' }],
  };
}

export function unknownCustomer(phone = '+8613900000000'): Customer360 {
  return { phone, leads: [], calls: { nodes: [] }, orders: { nodes: [] }, callbacks: [], dnc: null, ownership: [] };
}

export function callEvent(position: number, eventType: string, extra: Record<string, unknown> = {}) {
  return { myCalls: { position, at: `2026-03-01T02:00:${String(position).padStart(2, '0')}Z`, callId: 'call-9', eventType, phone: '+8613800138000', leadId: 'lead-1', campaignId: 'c1', data: { direction: 'outbound' }, ...extra } };
}
