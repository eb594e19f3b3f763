import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import type { EventStore } from '../../src/eventstore/types.ts';
import { startProjections, type ProjectionRunner } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
let runner: ProjectionRunner;
/** Reads of QA events by type the server makes while answering: none, the read model answers. */
let qaReads = 0;

const criteria = [{ id: 'greeting', label: '开场白', weight: 40 }, { id: 'compliance', label: '合规', weight: 60 }];
const at = (m: number) => new Date(Date.parse('2026-11-20T02:00:00.000Z') + m * 60_000).toISOString();

async function score(callId: string, agentId: string, evaluatorId: string, m: number, greeting: number) {
  await h.store.append(`evaluation-${callId}`, [
    { type: 'CallScored', data: { callId, scorecardId: 'std', scorecardVersion: 1, criteria, scores: [{ criterionId: 'greeting', score: greeting }, { criterionId: 'compliance', score: 60 }], total: greeting + 60, evaluatorId, agentId, at: at(m) } },
  ]);
}

const Q = 'query($f: QaFilter, $after: String) { qaScores(filter: $f, first: 2, after: $after) { nodes { id call { id } agent { id } reviewer { id } total max items at } pageInfo { hasNextPage endCursor totalCount } } }';

async function all(user: string, f: Record<string, unknown> = {}) {
  await runner.waitFor(await h.store.headPosition());
  const token = await h.token(user);
  const pages: any[][] = [];
  let after: string | undefined;
  for (;;) {
    const r = await h.gql(Q, { f, after }, token);
    expect(r.errors).toBeUndefined();
    pages.push(r.data.qaScores.nodes);
    if (!r.data.qaScores.pageInfo.hasNextPage) return pages;
    after = r.data.qaScores.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => {
    // Counts the server's type-filtered reads of QA events (the log scan the read model replaces).
    const watched = new Proxy(store, {
      get(target, p, recv) {
        if (p === 'readAll') {
          return (opts: Parameters<EventStore['readAll']>[0]) => {
            if (opts?.filter?.eventTypes?.some((t) => t === 'CallScored' || t === 'ScoreRevised')) qaReads++;
            return target.readAll(opts);
          };
        }
        const v = Reflect.get(target, p, recv);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    return { readModels: projectionReadModels(pool, store), eventStore: watched };
  }, 'api_qa_scores');
  runner = await startProjections({ pool: h.pool, store: h.store });
  // West's evaluations come between east's, so a page filtered after the fact would come up short.
  await score('e1', 'agent-east', 'qa-east', 1, 10);
  await score('w1', 'agent-west', 'admin', 2, 20);
  await score('w2', 'agent-west', 'admin', 3, 30);
  await score('e2', 'agent-sh', 'qa-east', 4, 40);
  await score('w3', 'agent-west', 'admin', 5, 25);
  await score('e3', 'agent-east-2', 'admin', 6, 35);
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('qaScores from the read model', () => {
  it('pages a supervisor through their people\'s scores, newest first, in full pages, without reading the log', async () => {
    qaReads = 0;
    const east = await all('sup-east');
    expect(east.map((p) => p.map((n) => n.call.id))).toEqual([['e3', 'e2'], ['e1']]);
    expect(east[1][0]).toMatchObject({ id: 'evaluation-e1', agent: { id: 'agent-east' }, reviewer: { id: 'qa-east' }, total: 70, max: 100, items: { greeting: 10, compliance: 60 }, at: at(1) });
    expect((await all('sup-west')).flat().map((n) => n.call.id)).toEqual(['w3', 'w2', 'w1']);
    // an agent sees their own; a QA reviewer their department's and the ones they gave
    expect((await all('agent-east')).flat().map((n) => n.call.id)).toEqual(['e1']);
    expect((await all('qa-east')).flat().map((n) => n.call.id)).toEqual(['e3', 'e2', 'e1']);
    expect(qaReads).toBe(0);
  });

  it('shows a revised score (and the first one as of before the revision), and filters by agent, reviewer and time in the query', async () => {
    const before = await h.store.headPosition();
    await h.store.append('evaluation-e1', [{ type: 'ScoreRevised', data: { callId: 'e1', scores: [{ criterionId: 'greeting', score: 40 }, { criterionId: 'compliance', score: 60 }], previousTotal: 70, total: 100, reason: '复核', approvedBy: 'sup-east', at: at(30) } }]);
    const e1 = (await all('sup-east', { agentId: 'agent-east' })).flat();
    expect(e1.map((n) => [n.call.id, n.total, n.items.greeting, n.at])).toEqual([['e1', 100, 40, at(30)]]);
    const then = await h.gql('query($a: AsOf) { qaScores(filter: { agentId: "agent-east" }, asOf: $a) { nodes { total } } }', { a: { position: before } }, await h.token('sup-east'));
    expect(then.errors).toBeUndefined();
    expect(then.data.qaScores.nodes).toEqual([{ total: 70 }]);
    expect((await all('admin', { reviewerId: 'admin' })).flat().map((n) => n.call.id)).toEqual(['e3', 'w3', 'w2', 'w1']);
    expect((await all('admin', { from: at(3), to: at(6) })).flat().map((n) => n.call.id)).toEqual(['w3', 'e2', 'w2']);
    // someone else's agent named in the filter: nothing
    expect((await all('sup-west', { agentId: 'agent-east' })).flat()).toEqual([]);
  });
});
