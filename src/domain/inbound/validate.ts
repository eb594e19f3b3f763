import type { DomainError } from '../decider.ts';
import { isTimeZone } from '../campaign/config.ts';
import { isE164 } from '../phone/normalize.ts';
import { reject } from '../rules.ts';
import type { AgentWaitOffer, InboundRoutes, RouteDestination } from './events.ts';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const KINDS: readonly string[] = ['ivr', 'queue', 'agent', 'voicemail', 'reject'];

function isDate(s: unknown): boolean {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A number or a prefix: '+86138*'. */
const isNumberOrPrefix = (s: unknown): boolean => typeof s === 'string' && (isE164(s) || /^\+\d{1,14}\*$/.test(s));

function checkDestination(d: RouteDestination | undefined, where: string): DomainError | undefined {
  if (!d || !KINDS.includes(d.kind)) return reject('ROUTE_DESTINATION_INVALID', `${where}: 去向须为 ivr、queue、agent、voicemail 或 reject / destination must be ivr, queue, agent, voicemail or reject`);
  const needsId = d.kind === 'ivr' || d.kind === 'queue' || d.kind === 'agent';
  if (needsId && !(typeof d.id === 'string' && d.id.trim())) return reject('ROUTE_DESTINATION_INVALID', `${where}: ${d.kind} 须指明编号 / a ${d.kind} destination names its id`);
  return undefined;
}

const PROMPT_FILE = /^[\w-]+(\.[\w-]+)*\.wav$/i;

/** Absent fields take the defaults (GraphQL may send null for them). */
function checkOffer(o: AgentWaitOffer | undefined): DomainError | undefined {
  if (o == null) return undefined;
  if (typeof o !== 'object') return reject('AGENT_WAIT_OFFER_INVALID', 'agentWaitOffer 须为对象 / agentWaitOffer is an object');
  if (o.timeoutSeconds != null && !(Number.isInteger(o.timeoutSeconds) && o.timeoutSeconds >= 1 && o.timeoutSeconds <= 30)) {
    return reject('AGENT_WAIT_OFFER_INVALID', '等待按键的秒数为 1 至 30 / agentWaitOffer.timeoutSeconds is 1 to 30');
  }
  if (o.onNoChoice != null && o.onNoChoice !== 'wait' && o.onNoChoice !== 'queue') {
    return reject('AGENT_WAIT_OFFER_INVALID', '未按键时的去向须为 wait 或 queue / agentWaitOffer.onNoChoice is wait or queue');
  }
  if (o.promptFile != null && !(typeof o.promptFile === 'string' && PROMPT_FILE.test(o.promptFile))) {
    return reject('AGENT_WAIT_OFFER_INVALID', `提示音须为已上传的 .wav 文件名 / agentWaitOffer.promptFile "${String(o.promptFile)}" must be an uploaded .wav file name`);
  }
  return undefined;
}

/** Every field checked, the first problem named (where and why) in Chinese and English. */
export function checkRoutes(r: InboundRoutes): DomainError | undefined {
  if (!r || typeof r !== 'object') return reject('ROUTES_INVALID', '缺少路由规则 / routes are missing');
  if (!isTimeZone(r.timeZone)) return reject('TIME_ZONE_INVALID', `未知时区 / unknown time zone "${r.timeZone}"`);
  for (const did of [...(r.dids ?? []), ...Object.keys(r.byDid ?? {})]) {
    if (!isE164(did)) return reject('DID_NOT_E164', `号码须为 E.164 格式 / called number "${did}" must be E.164 (+8621...)`);
  }
  for (const [name, list] of [['blacklist', r.blacklist], ['whitelist', r.whitelist]] as const) {
    const bad = (list ?? []).find((p) => !isNumberOrPrefix(p));
    if (bad !== undefined) return reject('ROUTE_NUMBER_INVALID', `${name}: "${bad}" 须为 E.164 号码或前缀加 * / must be an E.164 number or a prefix ending in *`);
  }
  const badDay = (r.holidays ?? []).find((h) => !isDate(h));
  if (badDay !== undefined) return reject('HOLIDAY_INVALID', `节假日须为 YYYY-MM-DD / holiday "${badDay}" must be a date YYYY-MM-DD`);
  if (!Array.isArray(r.openHours) || r.openHours.length === 0) return reject('OPEN_HOURS_INVALID', '请至少设置一个营业时段 / give at least one opening window');
  for (const w of r.openHours) {
    const days = Array.isArray(w?.days) ? w.days : [];
    if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return reject('OPEN_HOURS_INVALID', '营业日为 1（周一）至 7（周日）/ opening days are weekdays 1 (Monday) to 7 (Sunday)');
    const endOk = HHMM.test(w.end) || w.end === '24:00';
    if (!HHMM.test(w.start) || !endOk || w.start >= w.end) return reject('OPEN_HOURS_INVALID', `营业时段 ${w.start}-${w.end} 须为 HH:MM 至更晚的 HH:MM / window ${w.start}-${w.end} must be HH:MM to a later HH:MM`);
  }
  const bad =
    checkDestination(r.closed, 'closed') ??
    checkDestination(r.defaultDestination, 'default') ??
    Object.entries(r.byDid ?? {}).map(([did, d]) => checkDestination(d, `DID ${did}`)).find(Boolean) ??
    (r.byCallerPrefix ?? []).map((p) => (/^\+\d{1,14}$/.test(p?.prefix ?? '') ? checkDestination(p.destination, `prefix ${p.prefix}`) : reject('ROUTE_NUMBER_INVALID', `来电前缀须为 +数字 / caller prefix "${p?.prefix}" must be + and digits`))).find(Boolean);
  if (bad) return bad;
  if (r.defaultDestination.kind === 'reject') return reject('ROUTE_DESTINATION_INVALID', 'default: 默认去向不能是拒接 / the default destination cannot reject every caller');
  if (r.agentWaitSeconds != null && !(Number.isInteger(r.agentWaitSeconds) && r.agentWaitSeconds >= 0 && r.agentWaitSeconds <= 300)) {
    return reject('AGENT_WAIT_INVALID', '等待指定坐席的秒数为 0 至 300 / agentWaitSeconds is 0 to 300');
  }
  const offerBad = checkOffer(r.agentWaitOffer);
  if (offerBad) return offerBad;
  if (typeof r.stickyToLastAgent !== 'boolean') return reject('ROUTES_INVALID', 'stickyToLastAgent 须为 true 或 false / stickyToLastAgent is true or false');
  return undefined;
}
