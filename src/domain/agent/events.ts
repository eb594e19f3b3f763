import type { DomainEvent } from '../decider.ts';

export interface Skill {
  skill: string;
  /** 1 (basic) .. 10 (expert); routing prefers higher levels. */
  level: number;
}

type Base = {
  agentId: string;
  at: string;
};

export type AgentRegistered = DomainEvent<
  'AgentRegistered',
  Base & { name: string; teamId: string; departmentId: string; skills: Skill[] }
>;
export type AgentSkillsSet = DomainEvent<'AgentSkillsSet', Base & { skills: Skill[]; setBy?: string }>;
export type AgentTeamChanged = DomainEvent<
  'AgentTeamChanged',
  Base & { teamId: string; departmentId: string; changedBy?: string }
>;
export type AgentLoggedIn = DomainEvent<'AgentLoggedIn', Base & { extension: string }>;
export type AgentLoggedOut = DomainEvent<'AgentLoggedOut', Base & { reason: string; by?: string }>;
export type AgentReady = DomainEvent<'AgentReady', Base>;
export type AgentNotReady = DomainEvent<'AgentNotReady', Base & { reasonCode: string }>;

export type AgentEvent =
  AgentRegistered | AgentSkillsSet | AgentTeamChanged | AgentLoggedIn | AgentLoggedOut | AgentReady | AgentNotReady;
