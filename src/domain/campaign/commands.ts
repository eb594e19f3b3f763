import type { Command } from '../decider.ts';
import type { CampaignConfig, RetryDisposition, RetryRule } from './events.ts';

/**
 * Changes to single outcomes' retry rules, laid over the campaign's rules when the command is decided (so two
 * editors changing different outcomes do not undo each other): fields given replace the rule's, null removes the
 * rule (no retry after that outcome).
 */
export type RetryRulesPatch = Partial<Record<RetryDisposition, Partial<RetryRule> | null>>;

/** Missing config fields take the defaults in decider.ts (preview, abandon target 0.03, 09:00-21:00). */
export type CreateCampaign = Command<
  'CreateCampaign',
  { campaignId: string; name: string; departmentId: string; config?: Partial<CampaignConfig> }
>;
export type ConfigureCampaign = Command<'ConfigureCampaign', { config: Partial<CampaignConfig>; retryRules?: RetryRulesPatch }>;
export type AttachList = Command<'AttachList', { listId: string }>;
export type DetachList = Command<'DetachList', { listId: string }>;
export type StartCampaign = Command<'StartCampaign', Record<string, never>>;
export type PauseCampaign = Command<'PauseCampaign', { reason: string }>;
export type StopCampaign = Command<'StopCampaign', { reason: string }>;

export type CampaignCommand =
  CreateCampaign | ConfigureCampaign | AttachList | DetachList | StartCampaign | PauseCampaign | StopCampaign;
