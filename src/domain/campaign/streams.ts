export const CAMPAIGN_CATEGORY = 'campaign';
export const campaignStreamId = (campaignId: string): string => `${CAMPAIGN_CATEGORY}-${campaignId}`;
