import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { ScriptCommand } from './commands.ts';
import type { ScriptEvent } from './events.ts';
import { SCRIPT_CATEGORY } from './streams.ts';

export interface ScriptState {
  scriptId?: string;
  version: number;
}

const MAX_BODY = 20_000;

function decide(c: ScriptCommand, s: ScriptState): Decision<ScriptEvent> {
  const d = c.data;
  if (!isNonEmpty(d.scriptId) || !isNonEmpty(d.name))
    return reject('SCRIPT_NAME_REQUIRED', 'A script has an id and a name');
  if (s.scriptId && s.scriptId !== d.scriptId) return reject('SCRIPT_MISMATCH', `This is script ${s.scriptId}`);
  if (d.basedOnVersion !== s.version) {
    return reject(
      'SCRIPT_VERSION_STALE',
      `You edited version ${d.basedOnVersion}, but version ${s.version} is now live; reload and edit again`,
    );
  }
  if (!Array.isArray(d.sections) || d.sections.length === 0)
    return reject('SCRIPT_EMPTY', 'A script has at least one section');
  const ids = new Set<string>();
  for (const sec of d.sections) {
    if (!isNonEmpty(sec?.id) || ids.has(sec.id) || !isNonEmpty(sec.title))
      return reject('SCRIPT_SECTION_INVALID', 'Sections have distinct ids and titles');
    if (typeof sec.body !== 'string' || sec.body.length > MAX_BODY)
      return reject('SCRIPT_SECTION_INVALID', `Section "${sec.title}" text is at most ${MAX_BODY} characters`);
    ids.add(sec.id);
  }
  return [
    {
      type: 'ScriptPublished',
      data: {
        scriptId: d.scriptId,
        name: d.name,
        version: s.version + 1,
        sections: d.sections,
        publishedBy: c.meta.actorId,
        at: c.meta.now,
      },
    },
  ];
}

export const scriptDecider: Decider<ScriptCommand, ScriptEvent, ScriptState> = {
  category: SCRIPT_CATEGORY,
  initialState: () => ({ version: 0 }),
  evolve: (s, e) => (e.type === 'ScriptPublished' ? { scriptId: e.data.scriptId, version: e.data.version } : s),
  decide,
};
