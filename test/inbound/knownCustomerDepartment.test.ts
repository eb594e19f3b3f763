/**
 * A known customer is kept to their last agent only within the department whose line they called: on a floor
 * shared by several clients' projects, an agent of another department is not theirs to stick to.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, type Floor } from '../telephony/session/harness.ts';
import { allDayRules, routed, spokeBefore, startRouting } from './ivrSupport.ts';

const DID = '+862180000077';
const QUEUE = `q-${randomUUID()}`;
const [deptA, deptA1, deptB] = ['dept-A', 'dept-A-north', 'dept-B'].map((d) => `${d}-${randomUUID().slice(0, 6)}`);
const rules = { ...allDayRules('sticky-dept', { [DID]: { kind: 'queue', id: QUEUE } }, { kind: 'queue', id: QUEUE }, { stickyToLastAgent: true }), departmentId: deptA };

let floor: Floor;
let inbound: Inbound;
beforeAll(async () => {
  floor = await openFloor();
  await floor.store.append(`department-${deptA1}`, [{ type: 'DepartmentCreated', data: { departmentId: deptA1, name: 'north', parentId: deptA } }]);
  inbound = await startRouting(floor, () => rules);
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

/** A ready agent registered in `departmentId`, who spoke with `phone` yesterday. */
async function lastAgentOf(phone: string, departmentId: string, extension: string): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  await floor.store.append(`agent-${agentId}`, [{ type: 'AgentRegistered', data: { agentId, name: agentId, teamId: 't-1', departmentId, skills: [] } }]);
  await floor.server.queues.sync();
  floor.sim.switch.agents.set(extension, { answerMs: 200 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
  expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
  await spokeBefore(floor, phone, agentId, DID);
  return agentId;
}

describe('a known customer and departments', () => {
  it('is not kept to a last agent of another department: the line’s own routing applies', async () => {
    const other = await lastAgentOf('+8613800138771', deptB, '3101');
    const id = floor.sim.inboundCall('13800138771', DID);
    const d = await routed(floor, id);
    expect(d).toMatchObject({ rule: 'did', destination: { kind: 'queue', id: QUEUE } });
    expect(d.knownCustomer).toBeUndefined();
    floor.sim.remoteHangup(id);
    await floor.server.agentCommand(other, { type: 'LOGOUT', reason: 'test over' });
  });

  it('is kept to a last agent of a department under the line’s', async () => {
    const last = await lastAgentOf('+8613800138772', deptA1, '3102');
    const id = floor.sim.inboundCall('13800138772', DID);
    const d = await routed(floor, id);
    expect(d).toMatchObject({ rule: 'sticky_agent', destination: { kind: 'agent', id: last }, knownCustomer: { lastAgentId: last, lastAgentFree: true } });
    floor.sim.remoteHangup(id);
  });
});
