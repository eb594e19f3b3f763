export const IVR_CATEGORY = 'ivr';
export const ivrStreamId = (menuId: string): string => `${IVR_CATEGORY}-${menuId}`;
