import type { CampaignConfig, CampaignEvent } from '../../../domain/campaign/events.ts';

export interface CampaignDoc {
  campaignId: string;
  name?: string;
  departmentId?: string;
  status: 'draft' | 'running' | 'paused' | 'stopped';
  config?: CampaignConfig;
  listIds: string[];
  createdAt?: string;
  startedAt?: string;
  stoppedAt?: string;
  statusReason?: string;
}

/** Folds one campaign event into the campaign document (in place). */
export function evolveCampaign(current: CampaignDoc | undefined, event: CampaignEvent): CampaignDoc {
  const doc = current ?? { campaignId: event.data.campaignId, status: 'draft', listIds: [] };
  switch (event.type) {
    case 'CampaignCreated':
      Object.assign(doc, { name: event.data.name, departmentId: event.data.departmentId, config: event.data.config, createdAt: event.data.at });
      break;
    case 'CampaignConfigured':
      doc.config = event.data.config;
      break;
    case 'CampaignListAttached':
      if (!doc.listIds.includes(event.data.listId)) doc.listIds.push(event.data.listId);
      break;
    case 'CampaignListDetached':
      doc.listIds = doc.listIds.filter((l) => l !== event.data.listId);
      break;
    case 'CampaignStarted':
      Object.assign(doc, { status: 'running', startedAt: doc.startedAt ?? event.data.at, statusReason: undefined });
      break;
    case 'CampaignPaused':
      Object.assign(doc, { status: 'paused', statusReason: event.data.reason });
      break;
    case 'CampaignStopped':
      Object.assign(doc, { status: 'stopped', stoppedAt: event.data.at, statusReason: event.data.reason });
      break;
  }
  return doc;
}
