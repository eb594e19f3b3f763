/**
 * One customer call as an XState v5 machine. Pure: no I/O, no delays.
 * The connect rule (abandon when no agent comes within N ms of a human answer) is a scheduled
 * command that sends ABANDON; the machine only decides whether the call can still be abandoned.
 *
 * dialing -> ringing / early-media -> answered(human | machine) -> queued -> bridged(agent) <-> held
 *   -> transferred -> ended(cause); queued -> abandoned -> ended
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

export type AnsweredBy = 'human' | 'machine';
export type HangupBy = 'caller' | 'callee' | 'agent' | 'system';

export interface CallContext {
  callId: string;
  answeredBy?: AnsweredBy;
  /** The agent the customer is (or was last) bridged to. */
  agentId?: string;
  queueId?: string;
  transfers: number;
  /** True once the connect rule or the caller gave up in the queue. */
  abandoned: boolean;
  cause?: string;
  hangupBy?: HangupBy;
}

export type CallMachineEvent =
  | { type: 'RINGING' }
  | { type: 'EARLY_MEDIA' }
  | { type: 'ANSWERED'; answeredBy: AnsweredBy }
  | { type: 'QUEUE'; queueId?: string }
  | { type: 'BRIDGED'; agentId: string }
  | { type: 'HOLD' }
  | { type: 'UNHOLD' }
  | { type: 'TRANSFERRED'; to: { kind: 'agent' | 'queue' | 'number'; id: string } }
  | { type: 'ABANDON'; reason: string }
  | { type: 'HANGUP'; cause: string; hangupBy?: HangupBy };

const hangup = { target: '#call.ended', actions: 'recordHangup' } as const;

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallMachineEvent,
    input: {} as { callId: string },
  },
  guards: {
    // An answering machine is never queued for an agent: the dialer drops or leaves a message.
    answeredByHuman: ({ context }) => context.answeredBy === 'human',
  },
  actions: {
    recordHangup: assign({
      cause: ({ event }) => (event.type === 'HANGUP' ? event.cause : undefined),
      hangupBy: ({ event }) => (event.type === 'HANGUP' ? event.hangupBy : undefined),
    }),
    markAbandoned: assign({ abandoned: true }),
  },
}).createMachine({
  id: 'call',
  context: ({ input }) => ({ callId: input.callId, transfers: 0, abandoned: false }),
  initial: 'dialing',
  states: {
    dialing: {
      on: {
        RINGING: 'ringing',
        EARLY_MEDIA: 'earlyMedia',
        ANSWERED: { target: 'answered', actions: assign({ answeredBy: ({ event }) => event.answeredBy }) },
        HANGUP: hangup,
      },
    },
    ringing: {
      on: {
        EARLY_MEDIA: 'earlyMedia',
        ANSWERED: { target: 'answered', actions: assign({ answeredBy: ({ event }) => event.answeredBy }) },
        HANGUP: hangup,
      },
    },
    earlyMedia: {
      on: {
        ANSWERED: { target: 'answered', actions: assign({ answeredBy: ({ event }) => event.answeredBy }) },
        HANGUP: hangup,
      },
    },
    answered: {
      on: {
        QUEUE: { target: 'queued', guard: 'answeredByHuman', actions: assign({ queueId: ({ event }) => event.queueId }) },
        // Preview and click-to-dial: the agent is already on the line.
        BRIDGED: { target: 'bridged', actions: assign({ agentId: ({ event }) => event.agentId }) },
        HANGUP: hangup,
      },
    },
    queued: {
      on: {
        BRIDGED: { target: 'bridged', actions: assign({ agentId: ({ event }) => event.agentId }) },
        ABANDON: { target: 'abandoned', actions: 'markAbandoned' },
        // The caller hung up while waiting: that is an abandon too.
        HANGUP: { target: '#call.ended', actions: ['recordHangup', 'markAbandoned'] },
      },
    },
    abandoned: {
      on: { HANGUP: hangup },
    },
    bridged: {
      on: {
        HOLD: 'held',
        TRANSFERRED: { target: 'transferred', actions: assign({ transfers: ({ context }) => context.transfers + 1 }) },
        HANGUP: hangup,
      },
    },
    held: {
      on: {
        UNHOLD: 'bridged',
        TRANSFERRED: { target: 'transferred', actions: assign({ transfers: ({ context }) => context.transfers + 1 }) },
        HANGUP: hangup,
      },
    },
    transferred: {
      on: {
        BRIDGED: { target: 'bridged', actions: assign({ agentId: ({ event }) => event.agentId }) },
        QUEUE: { target: 'queued', actions: assign({ queueId: ({ event }) => event.queueId }) },
        HANGUP: hangup,
      },
    },
    ended: { type: 'final' },
  },
});

export type CallSnapshot = SnapshotFrom<typeof callMachine>;
export type CallStatus =
  | 'dialing' | 'ringing' | 'early-media' | 'answered' | 'queued' | 'abandoned' | 'bridged' | 'held' | 'transferred' | 'ended';

const STATUS: Record<string, CallStatus> = {
  dialing: 'dialing',
  ringing: 'ringing',
  earlyMedia: 'early-media',
  answered: 'answered',
  queued: 'queued',
  abandoned: 'abandoned',
  bridged: 'bridged',
  held: 'held',
  transferred: 'transferred',
  ended: 'ended',
};

export function callStatus(snapshot: CallSnapshot): CallStatus {
  return STATUS[snapshot.value as string];
}
