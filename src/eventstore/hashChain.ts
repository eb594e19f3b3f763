import { createHash } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from './types.ts';

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashInput {
  prevHash: string;
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export function eventHash(e: HashInput): string {
  const body = canonicalJson([e.prevHash, e.streamId, e.revision, e.id, e.type, e.data, e.metadata]);
  return createHash('sha256').update(body).digest('hex');
}

export type ChainProblem =
  | { kind: 'altered'; streamId: string; revision: number; position: number; eventId: string }
  | { kind: 'broken-link'; streamId: string; revision: number; position: number; eventId: string }
  | { kind: 'missing'; streamId: string; revision: number; position?: number }
  | { kind: 'inserted'; streamId: string; revision: number; position: number; eventId: string };

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first problem in log order, if any. */
  problem?: ChainProblem;
}

export interface StreamHead {
  version: number;
  lastHash: string;
}

/**
 * Checks one stream's events (in revision order) against their own hashes, the links between them and,
 * when given, the stream head kept beside the log.
 */
export function verifyStreamChain(streamId: string, events: RecordedEvent[], head?: StreamHead): VerifyResult {
  let prev = '';
  let expectedRevision = 1;
  for (const e of events) {
    const at = { streamId, revision: e.revision, position: e.position, eventId: e.id };
    if (e.revision > expectedRevision) return { ok: false, checked: e.revision, problem: { kind: 'missing', streamId, revision: expectedRevision, position: e.position } };
    if (e.revision < expectedRevision) return { ok: false, checked: e.revision, problem: { kind: 'inserted', ...at } };
    if (eventHash({ ...e, prevHash: e.prevHash }) !== e.hash) return { ok: false, checked: e.revision, problem: { kind: 'altered', ...at } };
    if (e.prevHash !== prev) {
      // A correct self-hash over a wrong link means an event was put in that was never appended here.
      return { ok: false, checked: e.revision, problem: { kind: e.revision === 1 ? 'inserted' : 'broken-link', ...at } };
    }
    prev = e.hash;
    expectedRevision++;
  }
  if (head) {
    if (head.version > events.length) return { ok: false, checked: events.length, problem: { kind: 'missing', streamId, revision: events.length + 1 } };
    if (head.version < events.length) {
      const e = events[head.version];
      return { ok: false, checked: events.length, problem: { kind: 'inserted', streamId, revision: e.revision, position: e.position, eventId: e.id } };
    }
    if (head.lastHash !== prev) {
      const e = events[events.length - 1];
      return { ok: false, checked: events.length, problem: { kind: 'altered', streamId, revision: e.revision, position: e.position, eventId: e.id } };
    }
  }
  return { ok: true, checked: events.length };
}
