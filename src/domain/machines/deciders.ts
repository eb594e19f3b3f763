/**
 * The machines as Deciders, so `handleCommand` can load, decide, append with expected revision
 * and stay idempotent by command id. One decider per subject because the machine's context
 * carries its id. Events of other kinds on the same stream (AgentRegistered, CallOffered, ...) are skipped.
 */
import { transition } from 'xstate';
import type { Command, Decider } from '../decider.ts';
import { agentMachineEventOf, decideAgent, initialAgentSnapshot, type AgentStateEvent } from './agentEvents.ts';
import { agentMachine, type AgentMachineEvent, type AgentSnapshot } from './agentMachine.ts';
import { callMachineEventOf, decideCall, initialCallSnapshot, type CallDecideExtras, type CallStateEvent } from './callEvents.ts';
import { callMachine, type CallMachineEvent, type CallSnapshot } from './callMachine.ts';

export type AgentMachineCommand = Command<'AgentMachine', { event: AgentMachineEvent }>;
export type CallMachineCommand = Command<'CallMachine', { event: CallMachineEvent; extras?: CallDecideExtras }>;

export function agentMachineDecider(agentId: string): Decider<AgentMachineCommand, AgentStateEvent, AgentSnapshot> {
  return {
    category: 'agent',
    initialState: () => initialAgentSnapshot(agentId),
    evolve: (snap, e) => {
      const me = agentMachineEventOf(e as { type: string; data: Record<string, any> });
      return me ? transition(agentMachine, snap, me)[0] : snap;
    },
    decide: (cmd, snap) => decideAgent(snap, cmd.data.event, cmd.meta.now),
  };
}

export function callMachineDecider(callId: string): Decider<CallMachineCommand, CallStateEvent, CallSnapshot> {
  return {
    category: 'call',
    initialState: () => initialCallSnapshot(callId),
    evolve: (snap, e) => {
      const me = callMachineEventOf(e as { type: string; data: Record<string, any> });
      return me ? transition(callMachine, snap, me)[0] : snap;
    },
    decide: (cmd, snap) => decideCall(snap, cmd.data.event, cmd.meta.now, cmd.data.extras),
  };
}
