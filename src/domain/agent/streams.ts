export const AGENT_CATEGORY = 'agent';
export const agentStreamId = (agentId: string): string => `${AGENT_CATEGORY}-${agentId}`;
