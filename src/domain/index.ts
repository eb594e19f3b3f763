/**
 * Every decider of the domain, by aggregate. Handlers use them with `handleCommand(store, decider, id, command)`;
 * the stream is `${decider.category}-${id}` (see each folder's streams.ts for the id).
 */
import { agentDecider } from './agent/decider.ts';
import { blacklistDecider } from './blacklist/decider.ts';
import { callDecider } from './call/decider.ts';
import { ivrDecider } from './ivr/decider.ts';
import { campaignDecider } from './campaign/decider.ts';
import { leadDecider } from './lead/decider.ts';
import { loyaltyDecider } from './loyalty/decider.ts';
import { orderDecider } from './order/decider.ts';
import { productDecider } from './product/decider.ts';
import { evaluationDecider, scorecardDecider } from './qa/decider.ts';
import { answersDecider, questionnaireDecider } from './questionnaire/decider.ts';
import { queueDecider } from './queue/decider.ts';
import { scriptDecider } from './script/decider.ts';

export {
  agentDecider,
  answersDecider,
  blacklistDecider,
  callDecider,
  campaignDecider,
  evaluationDecider,
  ivrDecider,
  leadDecider,
  loyaltyDecider,
  orderDecider,
  productDecider,
  questionnaireDecider,
  queueDecider,
  scorecardDecider,
  scriptDecider,
};

export const deciders = {
  lead: leadDecider,
  campaign: campaignDecider,
  agent: agentDecider,
  call: callDecider,
  order: orderDecider,
  loyalty: loyaltyDecider,
  scorecard: scorecardDecider,
  evaluation: evaluationDecider,
  questionnaire: questionnaireDecider,
  answers: answersDecider,
  queue: queueDecider,
  product: productDecider,
  ivr: ivrDecider,
  script: scriptDecider,
} as const;

export type { AgentCommand } from './agent/commands.ts';
export type { AgentEvent } from './agent/events.ts';
export type { CallCommand } from './call/commands.ts';
export type { CallEvent } from './call/events.ts';
export type { CampaignCommand } from './campaign/commands.ts';
export type { CampaignEvent } from './campaign/events.ts';
export type { LeadCommand } from './lead/commands.ts';
export type { LeadEvent } from './lead/events.ts';
export type { LoyaltyCommand } from './loyalty/commands.ts';
export type { LoyaltyEvent } from './loyalty/events.ts';
export type { OrderCommand } from './order/commands.ts';
export type { OrderEvent } from './order/events.ts';
export type { EvaluationCommand, ScorecardCommand } from './qa/commands.ts';
export type { EvaluationEvent, ScorecardEvent } from './qa/events.ts';
export type { IvrCommand } from './ivr/commands.ts';
export type { IvrEvent } from './ivr/events.ts';
export type { ScriptCommand } from './script/commands.ts';
export type { ScriptEvent } from './script/events.ts';
export type { ProductCommand } from './product/commands.ts';
export type { ProductEvent } from './product/events.ts';
export type { QueueCommand } from './queue/commands.ts';
export type { QueueEvent } from './queue/events.ts';
export type { AnswersCommand, QuestionnaireCommand } from './questionnaire/commands.ts';
export type { AnswersEvent, QuestionnaireEvent } from './questionnaire/events.ts';
export { DomainError, isDomainError, type Command, type Decider, type DomainEvent } from './decider.ts';
export { normalizePhone, toE164, isE164 } from './phone/normalize.ts';
