import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AgentDesk } from '../src/lib/agentDesk.svelte.ts';
import { CUSTOMER } from '../src/lib/customer.ts';
import { LEADS } from '../src/lib/myWork.svelte.ts';
import { WALLBOARD } from '../src/lib/wallboard.svelte.ts';
import { FakeApi } from './fakeApi.ts';
import { schemaErrors } from './schema.ts';

const src = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(path.join(dir, d.name)) : /\.(ts|svelte)$/.test(d.name) ? [path.join(dir, d.name)] : []);
}

/** GraphQL documents written as plain template literals (no interpolation) anywhere in the console. */
function literalDocuments(): { file: string; doc: string }[] {
  const out: { file: string; doc: string }[] = [];
  for (const file of sources(src)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/`(\s*(?:query|mutation|subscription)\b[\s\w]*[({][^`]*|\{\s*\w+[\s({][^`]*)`/g)) {
      if (!m[1].includes('${')) out.push({ file: path.relative(src, file), doc: m[1] });
    }
  }
  return out;
}

describe('GraphQL documents against src/api/schema', () => {
  const docs = literalDocuments();

  it('finds the documents of every console (a regex that finds nothing would prove nothing)', () => {
    expect(docs.length).toBeGreaterThan(25);
  });

  it.each(docs.map((d) => [d.file, d.doc.trim().split('\n')[0].slice(0, 60), d.doc] as const))('%s: %s', (_file, _head, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });

  it.each([['screen pop', CUSTOMER], ['my leads', LEADS], ['wallboard', WALLBOARD]])('the %s document (built from shared fields) is valid and within the cost limit', (_n, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
  });

  it('every agent desk command is a valid mutation', async () => {
    const api = new FakeApi();
    const desk = new AgentDesk(api, 'u1');
    desk.call = { id: 'call-1', phone: '+8613800138000', leadId: null, campaignId: null, direction: null, stage: 'talking', startedAt: '' };
    const errors: string[] = [];
    for (const run of [() => desk.login('8001'), () => desk.logout(), () => desk.ready(), () => desk.pause('meal'), () => desk.finishWrapUp(), () => desk.hangUp(),
      () => desk.hold(), () => desk.unhold(), () => desk.transfer({ toQueueId: 'q1' }), () => desk.dial('+8613800138000', 'l1', 'c1'), () => desk.dispose('成交', '')]) {
      await run();
      errors.push(desk.error ?? '');
    }
    // Valid documents reach the fake and fail only for want of a handler.
    expect(errors.every((e) => e.startsWith('FakeApi: no handler'))).toBe(true);
  });
});
