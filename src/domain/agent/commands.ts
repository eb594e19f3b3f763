import type { Command } from '../decider.ts';
import type { Skill } from './events.ts';

export type RegisterAgent = Command<
  'RegisterAgent',
  { agentId: string; name: string; teamId: string; departmentId: string; skills?: Skill[] }
>;
export type SetAgentSkills = Command<'SetAgentSkills', { skills: Skill[] }>;
export type ChangeAgentTeam = Command<'ChangeAgentTeam', { teamId: string; departmentId: string }>;
export type LogInAgent = Command<'LogInAgent', { extension: string }>;
export type LogOutAgent = Command<'LogOutAgent', { reason?: string }>;
export type SetAgentReady = Command<'SetAgentReady', Record<string, never>>;
/** reasonCode: e.g. 'break', 'lunch', 'training', 'after_call_work' (codes are configured per floor). */
export type SetAgentNotReady = Command<'SetAgentNotReady', { reasonCode: string }>;

export type AgentCommand =
  RegisterAgent | SetAgentSkills | ChangeAgentTeam | LogInAgent | LogOutAgent | SetAgentReady | SetAgentNotReady;
