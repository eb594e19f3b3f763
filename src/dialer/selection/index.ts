export { selectLead } from './selectLead.ts';
export { eligibility } from './eligibility.ts';
export { emptyTally, nextAssignee, recordAssignment, type Tally } from './fairShare.ts';
export type { AgentRef, LeadView, Selection, SelectionPolicy, SelectionReason } from './types.ts';
