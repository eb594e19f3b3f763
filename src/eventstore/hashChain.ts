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

export interface StreamHead {
  version: number;
  lastHash: string;
}

/**
 * Walks events in log order (any mix of streams) and reports the first event that breaks its stream's
 * chain: a changed body (altered), a revision gap (missing), a revision seen before or a foreign link
 * (inserted), a link to the wrong predecessor (broken-link). `finish` compares with the stream heads.
 */
export class ChainVerifier {
  private readonly last = new Map<string, { revision: number; hash: string }>();
  checked = 0;

  push(e: RecordedEvent): ChainProblem | undefined {
    this.checked++;
    const prev = this.last.get(e.streamId) ?? { revision: 0, hash: '' };
    const at = { streamId: e.streamId, revision: e.revision, position: e.position, eventId: e.id };
    if (e.revision > prev.revision + 1) return { kind: 'missing', streamId: e.streamId, revision: prev.revision + 1, position: e.position };
    if (e.revision <= prev.revision) return { kind: 'inserted', ...at };
    if (eventHash(e) !== e.hash) return { kind: 'altered', ...at };
    // A correct self-hash over a wrong link means an event was put in that was never appended here.
    if (e.prevHash !== prev.hash) return { kind: e.revision === 1 ? 'inserted' : 'broken-link', ...at };
    this.last.set(e.streamId, { revision: e.revision, hash: e.hash });
    return undefined;
  }

  finish(heads: Map<string, StreamHead>): ChainProblem | undefined {
    for (const [streamId, head] of heads) {
      const seen = this.last.get(streamId) ?? { revision: 0, hash: '' };
      if (head.version > seen.revision) return { kind: 'missing', streamId, revision: seen.revision + 1 };
      if (head.version < seen.revision) return { kind: 'inserted', streamId, revision: head.version + 1, position: -1, eventId: '' };
      if (head.lastHash !== seen.hash) return { kind: 'altered', streamId, revision: seen.revision, position: -1, eventId: '' };
    }
    for (const [streamId, seen] of this.last) {
      if (!heads.has(streamId)) return { kind: 'inserted', streamId, revision: 1, position: -1, eventId: '' };
      void seen;
    }
    return undefined;
  }
}
