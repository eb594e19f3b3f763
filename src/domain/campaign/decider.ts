import { DomainError, type Decider, type Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { CampaignCommand } from './commands.ts';
import { DEFAULT_CAMPAIGN_CONFIG, mergeConfig, patchRetryRules } from './config.ts';
import type { CampaignConfig, CampaignEvent } from './events.ts';
import { CAMPAIGN_CATEGORY } from './streams.ts';

export type CampaignStatus = 'none' | 'draft' | 'running' | 'paused' | 'stopped';

export interface CampaignState {
  status: CampaignStatus;
  campaignId?: string;
  name?: string;
  departmentId?: string;
  config: CampaignConfig;
  listIds: string[];
}

/** Campaigns recorded before a field existed read it as the default (e.g. dispositions). */
const withDefaults = (c: CampaignConfig): CampaignConfig => ({ ...c, dispositions: c.dispositions ?? DEFAULT_CAMPAIGN_CONFIG.dispositions });

const initialState = (): CampaignState => ({ status: 'none', config: DEFAULT_CAMPAIGN_CONFIG, listIds: [] });

function evolve(s: CampaignState, e: CampaignEvent): CampaignState {
  switch (e.type) {
    case 'CampaignCreated':
      return {
        ...s,
        status: 'draft',
        campaignId: e.data.campaignId,
        name: e.data.name,
        departmentId: e.data.departmentId,
        config: withDefaults(e.data.config),
      };
    case 'CampaignConfigured':
      return { ...s, config: withDefaults(e.data.config) };
    case 'CampaignListAttached':
      return { ...s, listIds: [...s.listIds, e.data.listId] };
    case 'CampaignListDetached':
      return { ...s, listIds: s.listIds.filter((l) => l !== e.data.listId) };
    case 'CampaignStarted':
      return { ...s, status: 'running' };
    case 'CampaignPaused':
      return { ...s, status: 'paused' };
    case 'CampaignStopped':
      return { ...s, status: 'stopped' };
    default:
      return s;
  }
}

function decide(c: CampaignCommand, s: CampaignState): Decision<CampaignEvent> {
  const at = c.meta.now;
  const by = c.meta.actorId;
  if (c.type === 'CreateCampaign') {
    if (s.status !== 'none') return reject('CAMPAIGN_EXISTS', `Campaign ${s.campaignId} already exists`);
    const d = c.data;
    if (!isNonEmpty(d.campaignId) || !isNonEmpty(d.name))
      return reject('CAMPAIGN_NAME_REQUIRED', 'A campaign needs an id and a name');
    if (!isNonEmpty(d.departmentId)) return reject('DEPARTMENT_REQUIRED', 'A campaign belongs to a department');
    const config = mergeConfig(DEFAULT_CAMPAIGN_CONFIG, d.config);
    if (config instanceof DomainError) return config;
    return [
      {
        type: 'CampaignCreated',
        data: {
          campaignId: d.campaignId,
          at,
          name: d.name.trim(),
          departmentId: d.departmentId,
          createdBy: by,
          config,
        },
      },
    ];
  }
  if (s.status === 'none' || !s.campaignId) return reject('CAMPAIGN_NOT_FOUND', 'No such campaign');
  const campaignId = s.campaignId;
  if (s.status === 'stopped' && c.type !== 'StopCampaign') {
    return reject(
      'CAMPAIGN_STOPPED',
      `Campaign ${s.name} is stopped; a stopped campaign cannot be changed or restarted`,
    );
  }
  switch (c.type) {
    case 'ConfigureCampaign': {
      const patch = c.data.retryRules
        ? { ...c.data.config, retryRules: patchRetryRules(c.data.config.retryRules ?? s.config.retryRules, c.data.retryRules) }
        : c.data.config;
      const config = mergeConfig(s.config, patch);
      if (config instanceof DomainError) return config;
      return [{ type: 'CampaignConfigured', data: { campaignId, at, config, configuredBy: by } }];
    }
    case 'AttachList':
      if (!isNonEmpty(c.data.listId)) return reject('LIST_REQUIRED', 'Name the list to attach');
      if (s.listIds.includes(c.data.listId)) return [];
      return [{ type: 'CampaignListAttached', data: { campaignId, at, listId: c.data.listId } }];
    case 'DetachList':
      if (!s.listIds.includes(c.data.listId))
        return reject('LIST_NOT_ATTACHED', `List ${c.data.listId} is not attached`);
      if (s.status === 'running' && s.listIds.length === 1) {
        return reject('CAMPAIGN_NEEDS_LIST', 'A running campaign keeps at least one list; pause it first');
      }
      return [{ type: 'CampaignListDetached', data: { campaignId, at, listId: c.data.listId } }];
    case 'StartCampaign':
      if (s.status === 'running') return [];
      if (s.listIds.length === 0) return reject('CAMPAIGN_HAS_NO_LIST', 'Attach a list before starting the campaign');
      return [{ type: 'CampaignStarted', data: { campaignId, at, startedBy: by } }];
    case 'PauseCampaign':
      if (s.status !== 'running')
        return reject('CAMPAIGN_NOT_RUNNING', `Only a running campaign can be paused; it is ${s.status}`);
      if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Give a reason for pausing');
      return [{ type: 'CampaignPaused', data: { campaignId, at, reason: c.data.reason, pausedBy: by } }];
    case 'StopCampaign':
      if (s.status === 'stopped') return [];
      if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Give a reason for stopping');
      return [{ type: 'CampaignStopped', data: { campaignId, at, reason: c.data.reason, stoppedBy: by } }];
  }
}

export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  category: CAMPAIGN_CATEGORY,
  initialState,
  evolve,
  decide,
};
