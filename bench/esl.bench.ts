/**
 * ESL edge throughput and memory: `npm run bench:esl -- [--json] [--calls 1000] [--format json|plain]`.
 * Generates the real wire frames of N concurrent calls with the simulator's switch model, then
 * measures, on one core, drachtio-modesl parsing + normalization + dedupe + call-machine update,
 * and the heap held per live call (machine snapshot, bookkeeping) once all N are up.
 */
import { EventEmitter } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import esl from 'drachtio-modesl';
import { transition } from 'xstate';
import { callMachine, type CallMachineEvent, type CallSnapshot } from '../src/domain/machines/callMachine.ts';
import { initialCallSnapshot } from '../src/domain/machines/callEvents.ts';
import { FACT_EVENTS } from '../src/telephony/esl/eslClient.ts';
import { installParserShims } from '../src/telephony/esl/parserShims.ts';
import type { TelephonyFact } from '../src/telephony/esl/facts.ts';
import { FactDeduper, headersOf, normalize } from '../src/telephony/esl/normalize.ts';
import { answer, bridge, hangup, park, ring, setCallState, setState } from '../src/telephony/simulator/calls.ts';
import { Channel } from '../src/telephony/simulator/channel.ts';
import { eventFrame, type EventFormat } from '../src/telephony/simulator/frames.ts';
import { Switch } from '../src/telephony/simulator/switch.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const CALLS = Number(opt('calls', '1000'));
const FORMAT = opt('format', 'json') as EventFormat;
const JSON_OUT = args.includes('--json');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Frames for every call, in phases so all N calls are live at once after phase "up". */
function generate(): { up: Buffer; rest: Buffer; events: number } {
  const sw = new Switch({ maxSessions: CALLS * 3, sps: CALLS * 3 });
  let frames: string[] = [];
  // Only what the adapter subscribes to reaches it on a real switch.
  const subscribed = new Set(FACT_EVENTS);
  sw.onEvent((ev) => subscribed.has(ev.name) && frames.push(eventFrame(ev, FORMAT)));
  const legs = (prefix: string, dest: (i: number) => string) =>
    Array.from({ length: CALLS }, (_, i) => {
      const ch = new Channel({ uuid: `${prefix}-${i}`, name: `sofia/gateway/trunk1/${dest(i)}`, direction: 'outbound', createdAt: sw.clock.now(), callerNumber: '02150001000', callerName: '外呼', destination: dest(i) });
      ch.vars.set('callstream_campaign_id', 'campaign-42');
      ch.vars.set('callstream_lead_id', `lead-${i}`);
      ch.vars.set('callstream_attempt_id', `attempt-${i}`);
      ch.vars.set('ignore_early_media', 'true');
      sw.addChannel(ch);
      ch.state = 'CS_INIT';
      for (const n of ['CHANNEL_CREATE', 'CHANNEL_ORIGINATE', 'CHANNEL_OUTGOING', 'CHANNEL_STATE']) sw.fireChannel(ch, n);
      setCallState(sw, ch, 'DIALING');
      setState(sw, ch, 'CS_ROUTING');
      return ch;
    });
  const customers = legs('cust', (i) => `86138${String(i).padStart(8, '0')}`);
  customers.forEach((c) => ring(sw, c));
  customers.forEach((c) => (answer(sw, c), park(sw, c)));
  const agents = legs('agent', (i) => `${1000 + i}`);
  agents.forEach((a) => (answer(sw, a), park(sw, a)));
  customers.forEach((c, i) => bridge(sw, c, agents[i]));
  const up = Buffer.from(frames.join(''));
  const upCount = frames.length;
  frames = [];
  customers.forEach((c) => (sw.fireChannel(c, 'CHANNEL_HOLD'), sw.fireChannel(c, 'CHANNEL_UNHOLD')));
  customers.forEach((c) => hangup(sw, c, 'NORMAL_CLEARING', 'recv_bye', 200));
  agents.forEach((a) => hangup(sw, a, 'NORMAL_CLEARING'));
  sw.stop();
  return { up, rest: Buffer.from(frames.join('')), events: upCount + frames.length };
}

const MACHINE_EVENT: Partial<Record<TelephonyFact['kind'], (f: TelephonyFact) => CallMachineEvent[]>> = {
  ringing: () => [{ type: 'RINGING' }],
  'early-media': () => [{ type: 'EARLY_MEDIA' }],
  answered: () => [{ type: 'ANSWERED', answeredBy: 'human' }, { type: 'QUEUE' }],
  bridged: (f) => [{ type: 'BRIDGED', agentId: (f as { otherCallId: string }).otherCallId }],
  held: () => [{ type: 'HOLD' }],
  resumed: () => [{ type: 'UNHOLD' }],
  'hung-up': (f) => [{ type: 'HANGUP', cause: (f as { cause: string }).cause }],
};

/** The live state the edge keeps per customer call. */
class Edge {
  readonly calls = new Map<string, CallSnapshot>();
  readonly dedupe = new FactDeduper();
  events = 0;
  domainEvents = 0;
  private readonly parser: InstanceType<typeof esl.Parser>;
  private readonly socket = new EventEmitter();

  constructor() {
    this.parser = new esl.Parser(this.socket);
    installParserShims(this.parser);
    this.parser.on('esl::event', (ev) => this.onEvent(ev));
  }

  feed(buf: Buffer, chunk = 64 * 1024): void {
    for (let i = 0; i < buf.length; i += chunk) this.socket.emit('data', buf.subarray(i, i + chunk));
  }

  private onEvent(ev: InstanceType<typeof esl.Event>): void {
    this.events++;
    const h = headersOf(ev);
    if (!this.dedupe.firstTime(h['Core-UUID'] ?? '', Number(h['Event-Sequence']))) return;
    for (const fact of normalize(h, ev.getBody())) {
      if (!('callId' in fact) || !fact.callId.startsWith('cust-')) continue;
      const map = MACHINE_EVENT[fact.kind];
      if (fact.kind === 'channel-created') this.calls.set(fact.callId, initialCallSnapshot(fact.callId));
      if (!map) continue;
      let snap: CallSnapshot | undefined = this.calls.get(fact.callId);
      if (!snap) continue;
      for (const me of map(fact)) {
        // One transition per fact; a changed snapshot is what becomes a domain event in the call session.
        const next: CallSnapshot = transition(callMachine, snap, me)[0];
        if (next.value !== snap.value || next.context !== snap.context) this.domainEvents++;
        snap = next;
      }
      if (snap.status === 'done') this.calls.delete(fact.callId);
      else this.calls.set(fact.callId, snap);
    }
  }
}

const { up, rest, events } = generate();

// Warm-up runs so the JIT has compiled the hot path before timing.
for (let i = 0; i < 2; i++) {
  const warm = new Edge();
  warm.feed(up);
  warm.feed(rest);
}

gc();
const heapBefore = process.memoryUsage().heapUsed;
const edge = new Edge();
// CPU time, not wall time: the machine is shared, and the target is per core.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const t0 = performance.now();
edge.feed(up);
const tUp = performance.now();
const cUp = cpu();
gc();
const heapLive = process.memoryUsage().heapUsed;
const liveCalls = edge.calls.size;
const t1 = performance.now();
const c1 = cpu();
edge.feed(rest);
const t2 = performance.now();
const c2 = cpu();
const seconds = (tUp - t0 + (t2 - t1)) / 1000;
const cpuSeconds = (cUp - c0 + (c2 - c1)) / 1000;

const result = {
  bench: 'esl',
  calls: CALLS,
  format: FORMAT,
  events: edge.events,
  generatedEvents: events,
  domainEvents: edge.domainEvents,
  wireBytes: up.length + rest.length,
  wallSeconds: Number(seconds.toFixed(3)),
  cpuSeconds: Number(cpuSeconds.toFixed(3)),
  /** Per core: events over CPU seconds of this process (GC included). */
  eventsPerSec: Math.round(edge.events / cpuSeconds),
  eventsPerWallSec: Math.round(edge.events / seconds),
  liveCalls,
  bytesPerCall: Math.round((heapLive - heapBefore) / Math.max(1, liveCalls)),
  endedCalls: CALLS - edge.calls.size,
  targets: { eventsPerSec: 20_000, bytesPerCall: 20_480 },
};

if (JSON_OUT) console.log(JSON.stringify(result));
else {
  console.log('ESL edge: parse (drachtio-modesl) + normalize + dedupe + call machine, one core');
  console.table({
    'events/s per core (CPU time)': { value: result.eventsPerSec, target: '>= 20000' },
    'events/s wall clock': { value: result.eventsPerWallSec, target: '' },
    'bytes per live call': { value: result.bytesPerCall, target: '<= 20480' },
    'events processed': { value: result.events, target: '' },
    'live calls at peak': { value: result.liveCalls, target: CALLS },
    'wire MB': { value: (result.wireBytes / 1e6).toFixed(1), target: '' },
  });
}
