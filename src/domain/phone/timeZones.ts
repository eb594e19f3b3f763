/**
 * Country → one representative IANA zone, for calling-hours checks.
 * libphonenumber has no zone data, and most of our numbers are Chinese (one zone), so a small table is enough.
 * `exact: false` marks countries spanning several zones: the caller should prefer the lead's own zone if known.
 */
const ZONES: Record<string, { zone: string; exact: boolean }> = {
  CN: { zone: 'Asia/Shanghai', exact: true },
  HK: { zone: 'Asia/Hong_Kong', exact: true },
  MO: { zone: 'Asia/Macau', exact: true },
  TW: { zone: 'Asia/Taipei', exact: true },
  SG: { zone: 'Asia/Singapore', exact: true },
  MY: { zone: 'Asia/Kuala_Lumpur', exact: true },
  JP: { zone: 'Asia/Tokyo', exact: true },
  KR: { zone: 'Asia/Seoul', exact: true },
  TH: { zone: 'Asia/Bangkok', exact: true },
  VN: { zone: 'Asia/Ho_Chi_Minh', exact: true },
  PH: { zone: 'Asia/Manila', exact: true },
  IN: { zone: 'Asia/Kolkata', exact: true },
  AE: { zone: 'Asia/Dubai', exact: true },
  GB: { zone: 'Europe/London', exact: true },
  DE: { zone: 'Europe/Berlin', exact: true },
  FR: { zone: 'Europe/Paris', exact: true },
  IT: { zone: 'Europe/Rome', exact: true },
  ES: { zone: 'Europe/Madrid', exact: false },
  NL: { zone: 'Europe/Amsterdam', exact: true },
  NZ: { zone: 'Pacific/Auckland', exact: false },
  ID: { zone: 'Asia/Jakarta', exact: false },
  RU: { zone: 'Europe/Moscow', exact: false },
  AU: { zone: 'Australia/Sydney', exact: false },
  US: { zone: 'America/New_York', exact: false },
  CA: { zone: 'America/Toronto', exact: false },
  BR: { zone: 'America/Sao_Paulo', exact: false },
  MX: { zone: 'America/Mexico_City', exact: false },
};

export function timeZoneForCountry(country: string | undefined): { zone: string; exact: boolean } | undefined {
  return country ? ZONES[country] : undefined;
}
