import {
  StreamDeletedError as EsdbStreamDeletedError,
  UnavailableError,
  WrongExpectedVersionError,
  NO_STREAM,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, StreamDeletedError, WrongExpectedRevisionError } from '../errors.ts';
import type { EventMetadata, ExpectedRevision, LogFilter, RecordedEvent } from '../types.ts';

/**
 * Translation between EventStoreDB's conventions and the port's.
 * ESDB: 0-based revisions, "no_stream" for an absent stream, bigint commit positions.
 * Port: 1-based revisions, version = event count (0 = no stream), safe-integer positions.
 */

/** Metadata keys that carry the tamper-evidence chain inside ESDB's custom metadata. */
export const PREV_HASH_KEY = 'callstream.prevHash';
export const HASH_KEY = 'callstream.hash';
const NO_POSITION = 2n ** 64n - 1n;

/** The exact wire expectation for a stream we have read at `version`: the predecessor the hash links to. */
export function toWireExpected(version: number): bigint | typeof NO_STREAM {
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/** ESDB's revision of a stream's last event (or "no_stream") → the port's version (event count). */
export function toVersion(esdbRevision: bigint | 'no_stream' | 'any' | 'stream_exists' | undefined): number {
  if (typeof esdbRevision !== 'bigint') return 0;
  return safeNumber(esdbRevision + 1n, 'revision');
}

export function toPosition(commit: bigint | undefined): number {
  if (commit === undefined) throw new Error('EventStoreDB sent no commit position for an event (server older than 20.6?)');
  return safeNumber(commit, 'commit position');
}

function safeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`EventStoreDB ${what} ${value} does not fit a safe integer`);
  }
  return Number(value);
}

/** The port's expectation checked against the version we read before appending. */
export function checkExpected(streamId: string, expected: ExpectedRevision, version: number): Error | undefined {
  if (expected === 'any') return undefined;
  if (expected === 'no-stream' && version === 0) return undefined;
  if (expected === 'stream-exists' && version > 0) return undefined;
  if (typeof expected === 'number' && expected === version) return undefined;
  return new WrongExpectedRevisionError(streamId, expected, version);
}

/** Native client errors → port errors; anything else passes through unchanged. */
export function mapError(e: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (e instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(streamId, expected, toVersion(e.actualVersion));
  }
  if (e instanceof EsdbStreamDeletedError) return new StreamDeletedError(streamId);
  if (e instanceof UnavailableError) return new EventStoreUnavailableError(`EventStoreDB unavailable: ${e.message}`);
  return e;
}

/** ESDB's own bookkeeping ($stats, $metadata, $>, ...) never reaches our readers. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

export function matchesFilter(e: { streamId: string; type: string }, filter: LogFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.streamPrefix !== undefined) {
    const prefixes = Array.isArray(filter.streamPrefix) ? filter.streamPrefix : [filter.streamPrefix];
    if (!prefixes.some((p) => e.streamId.startsWith(p))) return false;
  }
  if (filter.eventTypes && !filter.eventTypes.includes(e.type)) return false;
  return true;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A resolved ESDB event → the port's RecordedEvent, the chain hashes lifted out of the metadata. */
export function toRecorded(resolved: ResolvedEvent): RecordedEvent | undefined {
  const e = resolved.event;
  if (!e) return undefined;
  const raw = (e.metadata && !(e.metadata instanceof Uint8Array) ? e.metadata : {}) as Record<string, unknown>;
  const { [PREV_HASH_KEY]: prevHash, [HASH_KEY]: hash, ...metadata } = raw;
  const commit = e.position?.commit ?? resolved.commitPosition;
  return {
    id: e.id,
    streamId: e.streamId,
    revision: safeNumber(e.revision + 1n, 'revision'),
    // Servers before positions-on-stream-reads send none (or u64 max) there; -1 says "unknown", not "first".
    position: commit === undefined || commit === NO_POSITION ? -1 : toPosition(commit),
    type: e.type,
    data: (e.data ?? {}) as Record<string, unknown>,
    metadata: metadata as EventMetadata,
    recordedAt: e.created.toISOString(),
    prevHash: typeof prevHash === 'string' ? prevHash : '',
    hash: typeof hash === 'string' ? hash : '',
  };
}
