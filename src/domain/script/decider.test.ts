import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { PublishScript } from './commands.ts';
import { scriptDecider } from './decider.ts';
import type { ScriptEvent, ScriptSection } from './events.ts';

const at = '2026-03-02T01:00:00.000Z';
const sections: ScriptSection[] = [
  { id: 'open', title: '开场', body: '您好，我是XX健康的小王……' },
  { id: 'close', title: '结束', body: '感谢您的时间，祝您生活愉快。' },
];
const publish = (data: Partial<PublishScript['data']>): PublishScript => ({
  type: 'PublishScript',
  data: { scriptId: 's1', name: '鱼油推广', basedOnVersion: 0, sections, ...data },
  meta: { now: at },
});
const v1: ScriptEvent = {
  type: 'ScriptPublished',
  data: { scriptId: 's1', name: '鱼油推广', version: 1, sections, publishedBy: undefined, at },
};

describe('scripts', () => {
  it('publishes versions in order and rejects stale edits', () => {
    given(scriptDecider).when(publish({})).then([v1]);
    given(scriptDecider, [v1])
      .when(publish({ basedOnVersion: 1 }))
      .then((e) => expect(e[0].data).toMatchObject({ version: 2 }));
    given(scriptDecider, [v1])
      .when(publish({ basedOnVersion: 0 }))
      .thenRejects('SCRIPT_VERSION_STALE');
  });

  it('rejects empty scripts and duplicate sections', () => {
    given(scriptDecider)
      .when(publish({ sections: [] }))
      .thenRejects('SCRIPT_EMPTY');
    given(scriptDecider)
      .when(publish({ sections: [sections[0], sections[0]] }))
      .thenRejects('SCRIPT_SECTION_INVALID');
  });
});
