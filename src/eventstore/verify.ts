import { ChainVerifier, type ChainProblem, type StreamHead } from './hashChain.ts';
import type { EventStore } from './types.ts';

export interface VerifyReport {
  ok: boolean;
  /** Events checked before the first problem (or all of them). */
  checked: number;
  scope: string;
  problem?: ChainProblem;
  /** One sentence a person can act on. */
  summary: string;
}

/** Stores that keep stream heads beside the log (the PostgreSQL adapter) let verify catch a removed last event. */
interface HasHeads {
  streamHeads(streamIds?: string[]): Promise<Map<string, StreamHead>>;
}
const hasHeads = (s: EventStore): s is EventStore & HasHeads => typeof (s as any).streamHeads === 'function';

function describe(p: ChainProblem): string {
  const where = `${p.streamId} revision ${p.revision}${'position' in p && p.position && p.position > 0 ? ` (position ${p.position})` : ''}`;
  switch (p.kind) {
    case 'altered':
      return `event ${where} was altered after it was written: its content no longer matches its hash`;
    case 'broken-link':
      return `event ${where} does not link to the event before it: the chain was rewritten`;
    case 'missing':
      return `event ${where} is missing: it was removed from the log`;
    case 'inserted':
      return `event ${where} was inserted: it was never appended through the store`;
  }
}

function report(scope: string, v: ChainVerifier, problem?: ChainProblem): VerifyReport {
  return problem
    ? { ok: false, checked: v.checked, scope, problem, summary: describe(problem) }
    : { ok: true, checked: v.checked, scope, summary: `${v.checked} events verified in ${scope}: the hash chain is intact` };
}

/** Verifies one stream's chain end to end (and against its head, where the store keeps heads). */
export async function verifyStream(store: EventStore, streamId: string): Promise<VerifyReport> {
  const v = new ChainVerifier();
  for (const e of await store.readStream(streamId)) {
    const problem = v.push(e);
    if (problem) return report(streamId, v, problem);
  }
  const heads = hasHeads(store) ? await store.streamHeads([streamId]) : new Map();
  return report(streamId, v, v.finish(heads));
}

/** Verifies every stream in one pass over the global log; names the first broken event in log order. */
export async function verifyAll(store: EventStore, onProgress?: (checked: number) => void): Promise<VerifyReport> {
  const v = new ChainVerifier();
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      const problem = v.push(e);
      if (problem) return report('the whole log', v, problem);
    }
    after = page[page.length - 1].position;
    onProgress?.(v.checked);
  }
  const heads = hasHeads(store) ? await store.streamHeads() : new Map();
  return report('the whole log', v, v.finish(heads));
}
