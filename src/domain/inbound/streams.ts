export const INBOUND_ROUTES_CATEGORY = 'inbound_routes';
/** One stream per route set (a tenant's or a DID group's rules); every version kept. */
export const inboundRoutesStreamId = (routesId: string): string => `${INBOUND_ROUTES_CATEGORY}-${routesId}`;
