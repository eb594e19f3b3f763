// The screen-pop query: everything about one phone number (客户360), shared by the agent desk and the auditor.
// Page sizes are small because the server's cost rule counts first × 20 for every connection's nodes.
export const LEAD_FIELDS = `id phone phoneDisplay name status attempts lastDisposition lastCalledAt nextCallbackAt
  customFields ownedSince ownershipExpiresAt owner { id displayName } campaign { id name } position`;

export const CUSTOMER = `query Customer($phone: String!, $asOf: AsOf) {
  customer(phone: $phone, asOf: $asOf) {
    phone
    leads { ${LEAD_FIELDS} }
    calls(first: 6) { nodes { id direction startedAt answeredAt endedAt talkSeconds outcome disposition dispositionNote
      agent { id displayName } recordings { id sha256 } position } }
    orders(first: 3) { nodes { id placedAt status total pointsEarned agent { id displayName } lines { name quantity unitPrice } position } }
    callbacks { id dueAt status note agent { id displayName } }
    dnc { scope reason addedAt }
    ownership { owner { id displayName } from to reason }
  }
}`;

export interface Lead {
  id: string;
  phone: string;
  phoneDisplay: string;
  name: string | null;
  status: string;
  attempts: number;
  lastDisposition: string | null;
  lastCalledAt: string | null;
  nextCallbackAt: string | null;
  customFields: Record<string, unknown> | null;
  ownedSince: string | null;
  ownershipExpiresAt: string | null;
  owner: { id: string; displayName: string } | null;
  campaign: { id: string; name: string } | null;
  position: number;
}

export interface CallRow {
  id: string;
  direction: 'INBOUND' | 'OUTBOUND';
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  talkSeconds: number | null;
  outcome: string;
  disposition: string | null;
  dispositionNote: string | null;
  agent: { id: string; displayName: string } | null;
  recordings: { id: string; sha256: string | null }[];
  position: number;
}

export interface OrderRow {
  id: string;
  placedAt: string;
  status: string;
  total: number;
  /** Loyalty points the order earned. */
  pointsEarned: number;
  agent: { id: string; displayName: string } | null;
  lines: { name: string; quantity: number; unitPrice: number }[];
  position: number;
}

export interface Customer360 {
  phone: string;
  leads: Lead[];
  calls: { nodes: CallRow[] };
  orders: { nodes: OrderRow[] };
  callbacks: { id: string; dueAt: string; status: string; note: string | null; agent: { id: string; displayName: string } | null }[];
  dnc: { scope: string; reason: string | null; addedAt: string } | null;
  ownership: { owner: { id: string; displayName: string } | null; from: string; to: string | null; reason: string | null }[];
}

/** The agent who last spoke to this customer, for "上次服务坐席". */
export function lastAgent(c: Customer360): string | null {
  const call = c.calls.nodes.find((x) => x.agent && x.answeredAt);
  return call?.agent?.displayName ?? null;
}
