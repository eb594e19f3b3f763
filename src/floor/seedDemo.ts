import { createDepartment, createTeam, createUser } from '../api/auth/identity.ts';
import { handleCommand } from '../commands/handleCommand.ts';
import { DomainError, type CommandMeta } from '../domain/decider.ts';
import { campaignDecider } from '../domain/campaign/decider.ts';
import type { CampaignConfig } from '../domain/campaign/events.ts';
import { inboundRoutesDecider } from '../domain/inbound/decider.ts';
import { ivrDecider } from '../domain/ivr/decider.ts';
import type { IvrMenu } from '../domain/ivr/events.ts';
import { leadDecider } from '../domain/lead/decider.ts';
import { queueDecider } from '../domain/queue/decider.ts';
import { leadId } from '../domain/lead/streams.ts';
import type { EventStore } from '../eventstore/types.ts';
import { SALES_QUEUE_ID, SERVICE_IVR_ID, SERVICE_QUEUE_ID, SERVICE_ROUTES_ID, serviceLineRoutes } from '../inbound/startInbound.ts';
import { seededRandom } from '../telephony/simulator/customers.ts';

export const DEMO_CAMPAIGN = 'demo-predictive';
export const DEMO_DEPARTMENT = 'dept-sales';
export const DEMO_TEAM = 'team-sales-1';
export const DEMO_PASSWORD = 'callstream-demo';

export interface DemoLogin {
  role: string;
  username: string;
  password: string;
  userId: string;
}

export interface DemoSeed {
  logins: DemoLogin[];
  /** Bot agents the simulated floor drives (user ids). */
  botAgentIds: string[];
  leads: string[];
}

const meta = (commandId: string): CommandMeta => ({ now: new Date().toISOString(), commandId, actorId: 'system', actorRole: 'system' });

/** Seeding runs on every start; an existing fact is fine, anything else is a real error. */
async function once<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof DomainError && /EXISTS|TAKEN|ALREADY|DUPLICATE/.test(e.code)) return undefined;
    throw e;
  }
}

/** 11-digit Chinese mobiles from a fixed seed: the same demo leads on every machine. */
function demoPhones(n: number): string[] {
  const rnd = seededRandom(20261123);
  const prefixes = ['138', '139', '150', '186', '135', '158', '177', '189'];
  return Array.from({ length: n }, () => `${prefixes[Math.floor(rnd() * prefixes.length)]}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`);
}

/**
 * The demo tenant: one sales department with a team, a user for every role, bot agents, a predictive
 * campaign with a list of leads. Idempotent: command ids are fixed, so a restart adds nothing twice.
 */
export async function seedDemo(store: EventStore, opts: { bots?: number; leads?: number } = {}): Promise<DemoSeed> {
  const bots = opts.bots ?? 8;
  await once(createDepartment(store, { departmentId: DEMO_DEPARTMENT, name: '销售一部 Sales 1' }));
  await once(createTeam(store, { departmentId: DEMO_DEPARTMENT, teamId: DEMO_TEAM, name: '一组 Team 1' }));
  const people: [string, string, string][] = [
    ['admin', 'admin', '管理员 Admin'],
    ['supervisor', 'supervisor', '主管 Supervisor'],
    ['team_leader', 'leader', '组长 Team leader'],
    ['qa', 'qa', '质检 QA'],
    ['auditor', 'auditor', '审计 Auditor'],
    ['agent', 'agent', '坐席 Agent'],
  ];
  const logins: DemoLogin[] = [];
  const add = async (role: string, username: string, displayName: string) => {
    const r = await once(createUser(store, { username, displayName, password: DEMO_PASSWORD, role: role as any, departmentId: DEMO_DEPARTMENT, teamId: DEMO_TEAM }));
    const userId = r?.userId ?? (await userIdOf(store, username));
    logins.push({ role, username, password: DEMO_PASSWORD, userId });
    return userId;
  };
  for (const [role, username, name] of people) await add(role, username, name);
  const botAgentIds: string[] = [];
  for (let i = 1; i <= bots; i++) botAgentIds.push(await add('agent', `bot${String(i).padStart(2, '0')}`, `机器人坐席 Bot ${i}`));

  const config: Partial<CampaignConfig> = {
    mode: 'predictive',
    abandonRateTarget: 0.03,
    // The demo must show calls at any hour; a real campaign keeps the default 09:00-21:00 callee time.
    callingHours: { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' },
    maxAttempts: 3,
    // Short retry delays so the demo list does not run dry within the hour (a real campaign: 30 / 120 / 240).
    retryRules: { busy: { delayMinutes: 5 }, no_answer: { delayMinutes: 15 }, machine: { delayMinutes: 30 } },
  };
  const run = (id: string, command: any) => once(handleCommand(store, campaignDecider, DEMO_CAMPAIGN, { ...command, meta: meta(`seed:${DEMO_CAMPAIGN}:${id}`) }));
  await run('create', { type: 'CreateCampaign', data: { campaignId: DEMO_CAMPAIGN, name: '双十一回访 Singles Day follow-up', departmentId: DEMO_DEPARTMENT, config } });
  await run('list', { type: 'AttachList', data: { listId: 'demo-list-1' } });
  await run('start', { type: 'StartCampaign', data: {} });

  const leads: string[] = [];
  const phones = demoPhones(opts.leads ?? 400);
  for (let i = 0; i < phones.length; i += 50) {
    await Promise.all(
      phones.slice(i, i + 50).map(async (phone, j) => {
        const id = leadId(phone);
        if (id instanceof DomainError) return;
        const row = i + j + 1;
        await once(
          handleCommand(store, leadDecider, id, {
            type: 'ImportLead',
            data: { phone, name: `客户${row}`, source: 'file', batchId: 'demo-list-1', row, departmentId: DEMO_DEPARTMENT, fields: { 城市: ['北京', '上海', '广州', '深圳'][row % 4] } },
            meta: meta(`seed:lead:${row}`),
          }),
        );
        leads.push(id);
      }),
    );
  }
  await seedServiceLine(store);
  return { logins, botAgentIds, leads: leads.sort() };
}

/** The service line's menu: 1 sales, 2 service, 0 service ahead of the line; silence or wrong keys twice more, then service. */
export const SERVICE_MENU: IvrMenu = {
  rootNodeId: 'welcome',
  nodes: [
    {
      id: 'welcome',
      promptText: '您好，欢迎致电服务热线。销售咨询请按1，售后服务请按2，优先人工服务请按0。',
      choices: {
        '1': { kind: 'queue', id: SALES_QUEUE_ID },
        '2': { kind: 'queue', id: SERVICE_QUEUE_ID },
        '0': { kind: 'queue', id: SERVICE_QUEUE_ID, priority: 10 },
      },
      timeoutSeconds: 5,
      maxRetries: 2,
      onFailure: { kind: 'queue', id: SERVICE_QUEUE_ID },
    },
  ],
};

/**
 * The inbound side of the demo as events: the sales and service queues and the service line's menu (the
 * service number leads to it: the service line's routes, published too). Fixed command ids: a restart adds nothing, and a menu
 * edited in the console since is not overwritten.
 */
export async function seedServiceLine(store: EventStore): Promise<void> {
  const queues: [string, string][] = [
    [SALES_QUEUE_ID, '销售热线 Sales line'],
    [SERVICE_QUEUE_ID, '售后服务 Service line'],
  ];
  for (const [queueId, name] of queues) {
    await once(handleCommand(store, queueDecider, queueId, { type: 'CreateQueue', data: { queueId, name, departmentId: DEMO_DEPARTMENT }, meta: meta(`seed:${queueId}:create`) }));
  }
  const menu = handleCommand(store, ivrDecider, SERVICE_IVR_ID, {
    type: 'PublishIvrMenu',
    data: { menuId: SERVICE_IVR_ID, name: '服务热线 Service line', basedOnVersion: 0, menu: SERVICE_MENU },
    meta: meta(`seed:${SERVICE_IVR_ID}:1`),
  });
  // A menu someone published before the seed ran is theirs to keep.
  await once(menu).catch((e) => {
    if (!(e instanceof DomainError && e.code === 'IVR_VERSION_STALE')) throw e;
  });
  const routes = handleCommand(store, inboundRoutesDecider, SERVICE_ROUTES_ID, {
    type: 'PublishInboundRoutes',
    data: { routesId: SERVICE_ROUTES_ID, basedOnVersion: 0, routes: serviceLineRoutes, departmentId: DEMO_DEPARTMENT },
    meta: meta(`seed:inbound-routes:${SERVICE_ROUTES_ID}:1`),
  });
  await once(routes).catch((e) => {
    if (!(e instanceof DomainError && e.code === 'ROUTES_VERSION_STALE')) throw e;
  });
}

async function userIdOf(store: EventStore, username: string): Promise<string> {
  const [first] = await store.readStream(`username-${username}`, { maxCount: 1 });
  if (!first) throw new Error(`demo user ${username} was not created`);
  return String(first.data.userId);
}
