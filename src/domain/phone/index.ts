export {
  normalizePhone,
  toE164,
  isE164,
  type Phone,
  type PhoneRejection,
  type PhoneRejectionCode,
  type PhoneType,
} from './normalize.ts';
export { timeZoneForCountry } from './timeZones.ts';
