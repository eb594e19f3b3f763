/**
 * The agent's phone state as an XState v5 machine. Pure: no I/O, no delays.
 * Timers (reservation expiry, wrap-up end) are scheduled commands that send
 * RESERVATION_EXPIRED / WRAP_UP_DONE, so a restored snapshot loses nothing.
 *
 * logged-out -> ready <-> not-ready(reason) ; ready -> reserved -> ringing -> on-call <-> held -> wrap-up -> ready
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

export interface AgentContext {
  agentId: string;
  extension?: string;
  /** Not-ready reason code, e.g. 'break', 'lunch'; set only while not ready. */
  reasonCode?: string;
  /** The call the agent is reserved for, ringing on, talking on or wrapping up. */
  callId?: string;
  /** Who forced the last transition (supervisor id), for display. */
  forcedBy?: string;
}

export type AgentMachineEvent =
  | { type: 'LOGIN'; extension: string }
  | { type: 'LOGOUT'; reason: string; by?: string }
  | { type: 'READY' }
  | { type: 'NOT_READY'; reasonCode: string }
  | { type: 'OFFER'; callId: string }
  | { type: 'RESERVATION_EXPIRED'; callId: string }
  | { type: 'AGENT_RINGING'; callId: string }
  | { type: 'CONNECTED'; callId: string }
  | { type: 'HOLD' }
  | { type: 'UNHOLD' }
  | { type: 'CALL_ENDED'; callId: string; cause: string }
  | { type: 'WRAP_UP_DONE'; callId?: string }
  | { type: 'FORCE_READY'; by: string; reason: string }
  | { type: 'FORCE_NOT_READY'; by: string; reasonCode: string; reason: string }
  | { type: 'FORCE_LOGOUT'; by: string; reason: string };

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentMachineEvent,
    input: {} as { agentId: string },
  },
  guards: {
    // Facts about another call (a late hangup of an earlier call) must not move the agent.
    sameCall: ({ context, event }) => 'callId' in event && event.callId === context.callId,
    // A wrap-up timer left over from an earlier call must not end this call's wrap-up.
    sameOrAnyCall: ({ context, event }) => !('callId' in event) || event.callId === undefined || event.callId === context.callId,
  },
  actions: {
    clearCall: assign({ callId: undefined }),
    clearReason: assign({ reasonCode: undefined }),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({ agentId: input.agentId }),
  initial: 'loggedOut',
  states: {
    loggedOut: {
      on: {
        LOGIN: {
          target: 'loggedIn',
          actions: assign({ extension: ({ event }) => event.extension, reasonCode: undefined, callId: undefined, forcedBy: undefined }),
        },
      },
    },
    loggedIn: {
      // Agents log in not ready: they choose when to take calls.
      initial: 'notReady',
      on: {
        LOGOUT: { target: 'loggedOut', actions: assign({ callId: undefined, reasonCode: undefined, forcedBy: ({ event }) => event.by }) },
        FORCE_LOGOUT: { target: 'loggedOut', actions: assign({ callId: undefined, reasonCode: undefined, forcedBy: ({ event }) => event.by }) },
      },
      states: {
        ready: {
          on: {
            NOT_READY: { target: 'notReady', actions: assign({ reasonCode: ({ event }) => event.reasonCode, forcedBy: undefined }) },
            FORCE_NOT_READY: { target: 'notReady', actions: assign({ reasonCode: ({ event }) => event.reasonCode, forcedBy: ({ event }) => event.by }) },
            OFFER: { target: 'reserved', actions: assign({ callId: ({ event }) => event.callId }) },
          },
        },
        notReady: {
          on: {
            READY: { target: 'ready', actions: assign({ reasonCode: undefined, forcedBy: undefined }) },
            FORCE_READY: { target: 'ready', actions: assign({ reasonCode: undefined, forcedBy: ({ event }) => event.by }) },
            // Changing the reason (break -> lunch) stays not ready.
            NOT_READY: { actions: assign({ reasonCode: ({ event }) => event.reasonCode }) },
            FORCE_NOT_READY: { actions: assign({ reasonCode: ({ event }) => event.reasonCode, forcedBy: ({ event }) => event.by }) },
          },
        },
        reserved: {
          on: {
            AGENT_RINGING: { target: 'ringing', guard: 'sameCall' },
            // Preview / auto-answer legs may skip ringing.
            CONNECTED: { target: 'onCall', guard: 'sameCall' },
            RESERVATION_EXPIRED: { target: 'ready', guard: 'sameCall', actions: 'clearCall' },
            CALL_ENDED: { target: 'ready', guard: 'sameCall', actions: 'clearCall' },
            FORCE_NOT_READY: { target: 'notReady', actions: assign({ callId: undefined, reasonCode: ({ event }) => event.reasonCode, forcedBy: ({ event }) => event.by }) },
          },
        },
        ringing: {
          on: {
            CONNECTED: { target: 'onCall', guard: 'sameCall' },
            // The agent did not pick up: the ring-timeout timer or the switch ends the offer.
            RESERVATION_EXPIRED: { target: 'ready', guard: 'sameCall', actions: 'clearCall' },
            CALL_ENDED: { target: 'ready', guard: 'sameCall', actions: 'clearCall' },
            FORCE_NOT_READY: { target: 'notReady', actions: assign({ callId: undefined, reasonCode: ({ event }) => event.reasonCode, forcedBy: ({ event }) => event.by }) },
          },
        },
        onCall: {
          on: {
            HOLD: 'held',
            CALL_ENDED: { target: 'wrapUp', guard: 'sameCall' },
          },
        },
        held: {
          on: {
            UNHOLD: 'onCall',
            CALL_ENDED: { target: 'wrapUp', guard: 'sameCall' },
          },
        },
        wrapUp: {
          on: {
            WRAP_UP_DONE: { target: 'ready', guard: 'sameOrAnyCall', actions: 'clearCall' },
            READY: { target: 'ready', actions: 'clearCall' },
            NOT_READY: { target: 'notReady', actions: assign({ callId: undefined, reasonCode: ({ event }) => event.reasonCode }) },
            FORCE_READY: { target: 'ready', actions: assign({ callId: undefined, forcedBy: ({ event }) => event.by }) },
            FORCE_NOT_READY: { target: 'notReady', actions: assign({ callId: undefined, reasonCode: ({ event }) => event.reasonCode, forcedBy: ({ event }) => event.by }) },
          },
        },
      },
    },
  },
});

export type AgentSnapshot = SnapshotFrom<typeof agentMachine>;
export type AgentStatus = 'logged-out' | 'ready' | 'not-ready' | 'reserved' | 'ringing' | 'on-call' | 'held' | 'wrap-up';

const STATUS: Record<string, AgentStatus> = {
  ready: 'ready',
  notReady: 'not-ready',
  reserved: 'reserved',
  ringing: 'ringing',
  onCall: 'on-call',
  held: 'held',
  wrapUp: 'wrap-up',
};

/** The flat status the floor and the read models show. */
export function agentStatus(snapshot: AgentSnapshot): AgentStatus {
  const v = snapshot.value;
  if (v === 'loggedOut') return 'logged-out';
  return STATUS[(v as { loggedIn: string }).loggedIn];
}

/** True while a call is attached to the agent (reserved .. held): logout must end it for the agent. */
export function agentHasLiveCall(snapshot: AgentSnapshot): boolean {
  return ['reserved', 'ringing', 'on-call', 'held'].includes(agentStatus(snapshot));
}
