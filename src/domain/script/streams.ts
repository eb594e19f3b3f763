export const SCRIPT_CATEGORY = 'script';
export const scriptStreamId = (scriptId: string): string => `${SCRIPT_CATEGORY}-${scriptId}`;
