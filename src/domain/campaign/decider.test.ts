import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { CampaignCommand } from './commands.ts';
import { DEFAULT_CAMPAIGN_CONFIG, DEFAULT_CAMPAIGN_PRIORITY } from './config.ts';
import { campaignDecider } from './decider.ts';
import type { CampaignConfig, CampaignEvent } from './events.ts';

const at = '2026-03-02T02:00:00.000Z';
const cmd = <C extends CampaignCommand>(type: C['type'], data: C['data'], meta: Partial<C['meta']> = {}) =>
  ({ type, data, meta: { now: at, ...meta } }) as C;

const created: CampaignEvent = {
  type: 'CampaignCreated',
  data: {
    campaignId: 'c1',
    at,
    name: '春季保健品回访',
    departmentId: 'sales-sh',
    createdBy: 'm1',
    config: DEFAULT_CAMPAIGN_CONFIG,
  },
};
const listAttached: CampaignEvent = { type: 'CampaignListAttached', data: { campaignId: 'c1', at, listId: 'L1' } };
const started: CampaignEvent = { type: 'CampaignStarted', data: { campaignId: 'c1', at } };
const stopped: CampaignEvent = { type: 'CampaignStopped', data: { campaignId: 'c1', at, reason: '项目结束' } };

describe('campaign: creation and configuration', () => {
  it('creates with defaults: preview mode, abandon target 0.03, 09:00-21:00 in the callee zone', () => {
    given(campaignDecider)
      .when(
        cmd(
          'CreateCampaign',
          { campaignId: 'c1', name: '春季保健品回访', departmentId: 'sales-sh' },
          { actorId: 'm1' },
        ),
      )
      .then([created]);
    expect(DEFAULT_CAMPAIGN_CONFIG).toMatchObject({ mode: 'preview', abandonRateTarget: 0.03, maxAttempts: 3 });
  });

  it('refuses to create twice', () => {
    given(campaignDecider, [created])
      .when(cmd('CreateCampaign', { campaignId: 'c1', name: 'x', departmentId: 'd' }))
      .thenRejects('CAMPAIGN_EXISTS');
  });

  it('merges a partial configuration and records the whole result', () => {
    given(campaignDecider, [created])
      .when(
        cmd('ConfigureCampaign', {
          config: {
            mode: 'predictive',
            abandonRateTarget: 0.02,
            retryRules: { busy: { delayMinutes: 5, maxAttempts: 2 } },
            questionnaireId: 'q1',
          },
        }),
      )
      .then((events) => {
        expect(events[0].type).toBe('CampaignConfigured');
        expect(events[0].data).toMatchObject({
          config: {
            mode: 'predictive',
            abandonRateTarget: 0.02,
            maxAttempts: 3,
            retryRules: { busy: { delayMinutes: 5, maxAttempts: 2 } },
            questionnaireId: 'q1',
          },
        });
      });
  });

  it('takes a whole day as 00:00-24:00 (no minute before midnight left out)', () => {
    const allDay = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
    given(campaignDecider, [created])
      .when(cmd('ConfigureCampaign', { config: { callingHours: allDay } }))
      .then([{ type: 'CampaignConfigured', data: expect.objectContaining({ config: expect.objectContaining({ callingHours: allDay }) }) }]);
  });

  it.each([
    [{ mode: 'robocall' }, 'CAMPAIGN_MODE_INVALID'],
    [{ abandonRateTarget: 3 }, 'ABANDON_TARGET_INVALID'],
    [{ maxAttempts: 0 }, 'MAX_ATTEMPTS_INVALID'],
    [{ maxAttempts: 2.5 }, 'MAX_ATTEMPTS_INVALID'],
    [{ callingHours: { windows: [{ days: [1], start: '21:00', end: '09:00' }] } }, 'CALLING_HOURS_INVALID'],
    [{ callingHours: { windows: [{ days: [0], start: '09:00', end: '12:00' }] } }, 'CALLING_HOURS_INVALID'],
    [{ callingHours: { windows: [{ days: [1], start: '9:00', end: '12:00' }] } }, 'CALLING_HOURS_INVALID'],
    [{ callingHours: { windows: [{ days: [1], start: '24:00', end: '24:00' }] } }, 'CALLING_HOURS_INVALID'],
    [{ callingHours: { windows: [{ days: [1], start: '09:00', end: '24:30' }] } }, 'CALLING_HOURS_INVALID'],
    [{ callingHours: { timeZone: 'Mars/Olympus' } }, 'TIME_ZONE_INVALID'],
    [{ callingHours: { timeZonePolicy: 'agent' } }, 'TIME_ZONE_POLICY_INVALID'],
    [{ retryRules: { busy: { delayMinutes: -1 } } }, 'RETRY_RULE_INVALID'],
    [{ retryRules: { angry: { delayMinutes: 5 } } }, 'RETRY_RULE_INVALID'],
    [{ retryRules: { busy: { delayMinutes: 5, maxAttempts: 9 } } }, 'RETRY_RULE_INVALID'],
    [{ dispositions: [] }, 'DISPOSITIONS_INVALID'],
    [{ dispositions: ['成交', ' '] }, 'DISPOSITIONS_INVALID'],
    [{ dispositions: ['成交', '成交'] }, 'DISPOSITIONS_INVALID'],
    [{ callerId: '021-6000 1234' }, 'CALLER_ID_INVALID'],
    [{ callerId: '+86abc' }, 'CALLER_ID_INVALID'],
    [{ script: 'x'.repeat(20_001) }, 'SCRIPT_INVALID'],
    [{ priority: 0 }, 'CAMPAIGN_PRIORITY_INVALID'],
    [{ priority: 11 }, 'CAMPAIGN_PRIORITY_INVALID'],
    [{ priority: 6.5 }, 'CAMPAIGN_PRIORITY_INVALID'],
  ])('rejects config %j with %s', (config, code) => {
    given(campaignDecider, [created])
      .when(cmd('ConfigureCampaign', { config: config as never }))
      .thenRejects(code);
  });
});

describe('campaign: priority against inbound queues (blended agents)', () => {
  it('keeps a priority 1..10; a campaign logged without one reads as the default 5', () => {
    given(campaignDecider, [created])
      .when(cmd('ConfigureCampaign', { config: { priority: 8 } }))
      .then((events) => expect((events[0].data as { config: CampaignConfig }).config.priority).toBe(8));
    given(campaignDecider, [created])
      .when(cmd('ConfigureCampaign', { config: { maxAttempts: 4 } }))
      .then((events) => expect((events[0].data as { config: CampaignConfig }).config.priority).toBeUndefined());
    expect(DEFAULT_CAMPAIGN_PRIORITY).toBe(5);
  });

  it('says why a priority is refused, in Chinese and English', () => {
    given(campaignDecider, [created])
      .when(cmd('ConfigureCampaign', { config: { priority: 0 } }))
      .thenRejects('CAMPAIGN_PRIORITY_INVALID', /项目优先级.*1 到 10.*Campaign priority is a whole number from 1 to 10.*not 0/);
  });
});

describe('campaign: what the floor shows agents (script, dispositions, caller id)', () => {
  it('records the script, the disposition list and an E.164 caller id with the campaign', () => {
    given(campaignDecider)
      .when(
        cmd('CreateCampaign', {
          campaignId: 'c1',
          name: '春季保健品回访',
          departmentId: 'sales-sh',
          config: { script: '您好，我是…\n\n今天为您介绍…', dispositions: ['成交', '再联系'], callerId: '+862160001234' },
        }),
      )
      .then((events) =>
        expect(events[0].data).toMatchObject({
          config: { script: '您好，我是…\n\n今天为您介绍…', dispositions: ['成交', '再联系'], callerId: '+862160001234' },
        }),
      );
  });

  it('a new campaign offers the default disposition list', () => {
    given(campaignDecider)
      .when(cmd('CreateCampaign', { campaignId: 'c1', name: 'x', departmentId: 'd' }))
      .then((events) => expect((events[0].data as { config: { dispositions: string[] } }).config.dispositions).toEqual(['成交', '考虑中', '无意向', '预约回访', '空号']));
  });

  it('a campaign recorded before dispositions existed reads the defaults and can be reconfigured', () => {
    const { dispositions: _, ...oldConfig } = DEFAULT_CAMPAIGN_CONFIG;
    const old = { ...created, data: { ...created.data, config: oldConfig } } as CampaignEvent;
    given(campaignDecider, [old])
      .when(cmd('ConfigureCampaign', { config: { maxAttempts: 4 } }))
      .then((events) => expect(events[0].data).toMatchObject({ config: { maxAttempts: 4, dispositions: DEFAULT_CAMPAIGN_CONFIG.dispositions } }));
  });

  it('a configuration that leaves a field out keeps it; an explicit undefined clears the caller id', () => {
    const withCaller: CampaignEvent = { type: 'CampaignConfigured', data: { campaignId: 'c1', at, config: { ...DEFAULT_CAMPAIGN_CONFIG, callerId: '+862160001234', script: 'S' } } };
    given(campaignDecider, [created, withCaller])
      .when(cmd('ConfigureCampaign', { config: { maxAttempts: 5 } }))
      .then((events) => expect(events[0].data).toMatchObject({ config: { callerId: '+862160001234', script: 'S', maxAttempts: 5 } }));
    given(campaignDecider, [created, withCaller])
      .when(cmd('ConfigureCampaign', { config: { callerId: undefined } }))
      .then((events) => expect((events[0].data as { config: { callerId?: string } }).config.callerId).toBeUndefined());
  });
});

describe('campaign: per-outcome retry rule changes', () => {
  const busyCapped: CampaignEvent = {
    type: 'CampaignConfigured',
    data: { campaignId: 'c1', at, config: { ...DEFAULT_CAMPAIGN_CONFIG, retryRules: { ...DEFAULT_CAMPAIGN_CONFIG.retryRules, busy: { delayMinutes: 5, maxAttempts: 2 } } } },
  };
  const rules = (events: CampaignEvent[]) => (events[0].data as { config: CampaignConfig }).config.retryRules;

  it('lays the outcomes named over the rules the campaign has when decided; null stops retries after an outcome', () => {
    given(campaignDecider, [created, busyCapped])
      .when(cmd('ConfigureCampaign', { config: {}, retryRules: { machine: null, no_answer: { delayMinutes: 30 } } }))
      .then((events) => expect(rules(events)).toEqual({ busy: { delayMinutes: 5, maxAttempts: 2 }, no_answer: { delayMinutes: 30 }, callback: { delayMinutes: 0 } }));
  });

  it('a delay alone keeps the outcome cap; a cap above the campaign attempts is refused', () => {
    given(campaignDecider, [created, busyCapped])
      .when(cmd('ConfigureCampaign', { config: {}, retryRules: { busy: { delayMinutes: 15 } } }))
      .then((events) => expect(rules(events).busy).toEqual({ delayMinutes: 15, maxAttempts: 2 }));
    given(campaignDecider, [created, busyCapped])
      .when(cmd('ConfigureCampaign', { config: {}, retryRules: { callback: { delayMinutes: 0, maxAttempts: 4 } } }))
      .thenRejects('RETRY_RULE_INVALID');
  });

  it('a rule for an outcome that had none needs a delay', () => {
    const noMachine: CampaignEvent = { type: 'CampaignConfigured', data: { campaignId: 'c1', at, config: { ...DEFAULT_CAMPAIGN_CONFIG, retryRules: { busy: { delayMinutes: 5 } } } } };
    given(campaignDecider, [created, noMachine])
      .when(cmd('ConfigureCampaign', { config: {}, retryRules: { machine: { maxAttempts: 1 } } }))
      .thenRejects('RETRY_RULE_INVALID');
  });
});

describe('campaign: lists and lifecycle', () => {
  it('cannot start without a list', () => {
    given(campaignDecider, [created]).when(cmd('StartCampaign', {})).thenRejects('CAMPAIGN_HAS_NO_LIST');
  });

  it('attaches a list once, then starts, pauses with a reason and resumes', () => {
    given(campaignDecider, [created])
      .when(cmd('AttachList', { listId: 'L1' }))
      .then([listAttached]);
    given(campaignDecider, [created, listAttached])
      .when(cmd('AttachList', { listId: 'L1' }))
      .thenNothingHappened();
    given(campaignDecider, [created, listAttached])
      .when(cmd('StartCampaign', {}, { actorId: 'm1' }))
      .then([{ type: 'CampaignStarted', data: { campaignId: 'c1', at, startedBy: 'm1' } }]);
    given(campaignDecider, [created, listAttached, started])
      .when(cmd('PauseCampaign', { reason: '午休' }))
      .then([{ type: 'CampaignPaused', data: { campaignId: 'c1', at, reason: '午休', pausedBy: undefined } }]);
    const paused: CampaignEvent = { type: 'CampaignPaused', data: { campaignId: 'c1', at, reason: '午休' } };
    given(campaignDecider, [created, listAttached, started, paused])
      .when(cmd('StartCampaign', {}))
      .then((e) => expect(e[0].type).toBe('CampaignStarted'));
  });

  it('cannot pause a campaign that is not running', () => {
    given(campaignDecider, [created])
      .when(cmd('PauseCampaign', { reason: 'x' }))
      .thenRejects('CAMPAIGN_NOT_RUNNING');
  });

  it('keeps the last list on a running campaign', () => {
    given(campaignDecider, [created, listAttached, started])
      .when(cmd('DetachList', { listId: 'L1' }))
      .thenRejects('CAMPAIGN_NEEDS_LIST');
    given(campaignDecider, [created, listAttached])
      .when(cmd('DetachList', { listId: 'L2' }))
      .thenRejects('LIST_NOT_ATTACHED');
  });

  it('cannot start, configure or attach to a stopped campaign; stopping again changes nothing', () => {
    given(campaignDecider, [created, listAttached, started, stopped])
      .when(cmd('StartCampaign', {}))
      .thenRejects('CAMPAIGN_STOPPED');
    given(campaignDecider, [created, stopped])
      .when(cmd('ConfigureCampaign', { config: { maxAttempts: 5 } }))
      .thenRejects('CAMPAIGN_STOPPED');
    given(campaignDecider, [created, stopped])
      .when(cmd('AttachList', { listId: 'L9' }))
      .thenRejects('CAMPAIGN_STOPPED');
    given(campaignDecider, [created, stopped])
      .when(cmd('StopCampaign', { reason: 'again' }))
      .thenNothingHappened();
  });

  it('rejects commands on an unknown campaign and ignores unknown events', () => {
    given(campaignDecider).when(cmd('StartCampaign', {})).thenRejects('CAMPAIGN_NOT_FOUND');
    const s = campaignDecider.initialState();
    expect(campaignDecider.evolve(s, { type: 'CampaignRenamed', data: {} } as unknown as CampaignEvent)).toBe(s);
  });
});
