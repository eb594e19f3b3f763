import { createPacer, type PacerSpec } from '../pacing/index.ts';
import { EventQueue } from './eventQueue.ts';
import type { Floor } from './floor.ts';
import { OraclePacer, type Oracle } from './oracle.ts';
import { Random } from './random.ts';

/** Seconds an agent spends on an answering machine the detector missed before hanging up. */
const MACHINE_TALK_SEC = 5;
const TICK_SEC = 1;

export interface ShiftResult {
  agentSeconds: number;
  busySeconds: number;
  humanAnswers: number;
  abandons: number;
  connects: number;
  dials: number;
  waitSeconds: number;
  waits: number;
}

type Ev =
  | { kind: 'answer'; call: Call }
  | { kind: 'classified'; call: Call }
  | { kind: 'released'; call: Call }
  | { kind: 'deadline'; call: Call }
  | { kind: 'talkEnd'; agent: number }
  | { kind: 'wrapEnd'; agent: number }
  | { kind: 'tick' };

interface Call {
  id: string;
  human: boolean;
  answeredAt: number;
  counted: boolean;
  waiting: boolean;
  /** Oracle runs only: the detector's verdict, drawn at dial time so the oracle can be told it. */
  sayMachine?: boolean;
}

interface Agent {
  id: string;
  busySince: number;
  idleSince: number;
}

/** One shift of the floor in virtual time, paced by the real pacer code. */
export function simulateShift(floor: Floor, spec: PacerSpec, shift: number, warmupSec = 900, oracle?: Oracle): ShiftResult {
  const rng = new Random(floor.seed * 100_003 + shift);
  const end = floor.shiftHours * 3600;
  const from = Math.min(warmupSec, end / 4);
  let now = 0;
  const clock = { now: () => now * 1000 };
  const live = spec.mode === 'callstream' ? { amdFalsePositiveRate: floor.machine?.falsePositive ?? 0, connectWithinSec: floor.connectWithin, ...spec } : spec;
  // Oracles (not realisable) are told secrets below; the live pacer never is.
  const told = oracle && live.mode === 'callstream' ? new OraclePacer(clock, oracle, live) : undefined;
  const pacer = told ?? createPacer(live, clock);
  const queue = new EventQueue<Ev>();
  const agents: Agent[] = [];
  const idle: number[] = [];
  const waiting: Call[] = [];
  const r: ShiftResult = { agentSeconds: floor.agents * (end - from), busySeconds: 0, humanAnswers: 0, abandons: 0, connects: 0, dials: 0, waitSeconds: 0, waits: 0 };
  let nextId = 0;

  const inWindow = (t: number) => t >= from && t < end;
  const overlap = (a: number, b: number) => Math.max(0, Math.min(b, end) - Math.max(a, from));

  const liveShare = (t: number) => {
    const p0 = floor.liveAnswerProbability;
    return floor.liveAnswerDrift ? p0 + ((floor.liveAnswerDrift.to - p0) * t) / end : p0;
  };

  const connect = (call: Call, agentIndex: number) => {
    const agent = agents[agentIndex];
    pacer.onConnect(call.id, agent.id);
    agent.busySince = now;
    if (inWindow(now)) {
      r.waitSeconds += now - agent.idleSince;
      r.waits++;
      if (call.human) r.connects++;
    }
    const talk = call.human ? floor.talk && rng.sample(floor.talk) : MACHINE_TALK_SEC;
    told?.tellFreeAt(agent.id, now + talk + floor.wrapUp);
    queue.push(now + talk, { kind: 'talkEnd', agent: agentIndex });
  };

  const demand = (call: Call) => {
    pacer.onAnswer(call.id);
    const agentIndex = idle.shift();
    if (agentIndex !== undefined) return connect(call, agentIndex);
    call.waiting = true;
    waiting.push(call);
    queue.push(now + floor.connectWithin, { kind: 'deadline', call });
  };

  const dial = () => {
    const id = `d${nextId++}`;
    pacer.onDial(id);
    if (inWindow(now)) r.dials++;
    const p = liveShare(now);
    const m = floor.machine;
    const pm = m ? (p * m.probability) / (1 - m.probability) : 0;
    const u = rng.next();
    const call: Call = { id, human: u < p, answeredAt: 0, counted: false, waiting: false };
    if (u < p + pm) {
      const ring = rng.sample(floor.ringToAnswer);
      if (ring < floor.noAnswerTimeout) {
        if (told) {
          if (m) call.sayMachine = call.human ? rng.next() < m.falsePositive : rng.next() >= m.falseNegative;
          if (!call.sayMachine) told.tellWillAnswer(id);
        }
        return queue.push(now + ring, { kind: 'answer', call });
      }
    }
    queue.push(now + floor.noAnswerTimeout, { kind: 'released', call });
  };

  const handle = (ev: Ev) => {
    switch (ev.kind) {
      case 'answer': {
        const call = ev.call;
        call.answeredAt = now;
        if (call.human) {
          call.counted = inWindow(now);
          if (call.counted) r.humanAnswers++;
        }
        if (floor.machine) queue.push(now + floor.machine.detectSeconds, { kind: 'classified', call });
        else demand(call);
        return;
      }
      case 'classified': {
        const m = floor.machine!;
        const sayMachine = ev.call.sayMachine ?? (call(ev).human ? rng.next() < m.falsePositive : rng.next() >= m.falseNegative);
        if (!sayMachine) return demand(ev.call);
        pacer.onNoAnswer(ev.call.id, 'machine');
        // A human the detector hung up on is an abandoned call (Ofcom).
        if (ev.call.human && ev.call.counted) r.abandons++;
        return;
      }
      case 'released':
        return pacer.onNoAnswer(ev.call.id, 'no_answer');
      case 'deadline': {
        const call = ev.call;
        if (!call.waiting) return;
        call.waiting = false;
        waiting.splice(waiting.indexOf(call), 1);
        pacer.onAbandon(call.id);
        if (call.human && call.counted) r.abandons++;
        return;
      }
      case 'talkEnd':
        pacer.onTalkEnd(agents[ev.agent].id);
        queue.push(now + floor.wrapUp, { kind: 'wrapEnd', agent: ev.agent });
        return;
      case 'wrapEnd': {
        const agent = agents[ev.agent];
        r.busySeconds += overlap(agent.busySince, now);
        agent.busySince = -1;
        agent.idleSince = now;
        pacer.onAgentReady(agent.id);
        const next = waiting.shift();
        if (next) {
          next.waiting = false;
          connect(next, ev.agent);
        } else idle.push(ev.agent);
        return;
      }
      case 'tick':
        queue.push(now + TICK_SEC, { kind: 'tick' });
        return;
    }
  };

  for (let i = 0; i < floor.agents; i++) {
    agents.push({ id: `a${i}`, busySince: -1, idleSince: 0 });
    idle.push(i);
    pacer.onAgentReady(`a${i}`);
  }
  queue.push(TICK_SEC, { kind: 'tick' });
  for (;;) {
    const n = Math.min(pacer.dialsToPlace(), 10 * floor.agents);
    for (let i = 0; i < n; i++) dial();
    const ev = queue.pop();
    if (!ev || ev.at >= end) break;
    now = ev.at;
    handle(ev.payload);
  }
  for (const agent of agents) if (agent.busySince >= 0) r.busySeconds += overlap(agent.busySince, end);
  return r;
}

function call(ev: { call: Call }): Call {
  return ev.call;
}
