import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import RecordingNotesList from '../src/components/supervisor/RecordingNotes.svelte';
import Recordings from '../src/components/supervisor/Recordings.svelte';
import { ApiError } from '../src/lib/api.ts';
import { I18n } from '../src/lib/i18n.svelte.ts';
import { formatMoment, RecordingNotes, type RecordingNote } from '../src/lib/recordingNotes.svelte.ts';
import { FakeApi } from './fakeApi.ts';

const text = (html: string) => html.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const en = () => Object.assign(new I18n(), { locale: 'en' as const });

function server(me: { id: string; role: string }) {
  let notes: RecordingNote[] = [
    { id: 'rec-1~b', atSeconds: 133.4, note: '承诺了脚本外的折扣', category: '合规', authorId: 'u-qa', authorName: '质检小王', createdAt: '2026-03-02T02:00:00Z' },
    { id: 'rec-1~a', atSeconds: 12, note: 'Greeting skipped', category: null, authorId: 'u-sup', authorName: '陈主管', createdAt: '2026-03-02T02:01:00Z' },
  ];
  const api = new FakeApi()
    .on('RecordingNotesMe', () => ({ me }))
    .on('RecordingNotes', () => ({ recordingAnnotations: [...notes].sort((a, b) => a.atSeconds - b.atSeconds) }))
    .on('AnnotateRecording', (v) => {
      if (v.atSeconds > 300) throw new ApiError('TIME_PAST_END', 'The recording is 300 s long; 301 s is past its end');
      notes = [...notes, { id: `rec-1~${notes.length}`, atSeconds: v.atSeconds, note: v.note, category: v.category, authorId: me.id, authorName: 'me', createdAt: '2026-03-03T00:00:00Z' }];
      return { annotateRecording: { position: 9 } };
    })
    .on('RemoveAnnotation', (v) => {
      notes = notes.filter((n) => n.id !== v.annotationId);
      return { removeAnnotation: { position: 10 } };
    });
  return { api, notes: new RecordingNotes(api) };
}

describe('recording notes', () => {
  it('formats moments as the player does', () => {
    expect([formatMoment(0), formatMoment(133.9), formatMoment(3723)]).toEqual(['00:00', '02:13', '1:02:03']);
  });

  it('lists the notes of the recording by moment; adds one at the player time and removes one with a reason', async () => {
    const { api, notes } = server({ id: 'u-qa', role: 'QA' });
    await notes.load('rec-1');
    expect(notes.notes.map((n) => n.atSeconds)).toEqual([12, 133.4]);
    expect(await notes.add(42.12345, '  语速过快 ', ' 服务 ')).toBe(true);
    expect(api.named('AnnotateRecording')[0].variables).toMatchObject({ recordingId: 'rec-1', atSeconds: 42.123, note: '语速过快', category: '服务', commandId: expect.any(String) });
    expect(notes.notes.map((n) => n.note)).toEqual(['Greeting skipped', '语速过快', '承诺了脚本外的折扣']);
    expect(await notes.remove('rec-1~b', ' 写错了 ')).toBe(true);
    expect(api.named('RemoveAnnotation')[0].variables).toMatchObject({ annotationId: 'rec-1~b', reason: '写错了' });
    expect(notes.notes.map((n) => n.note)).toEqual(['Greeting skipped', '语速过快']);
  });

  it('says why the server refused, and keeps the form', async () => {
    const { notes } = server({ id: 'u-qa', role: 'QA' });
    await notes.load('rec-1');
    expect(await notes.add(301, 'x')).toBe(false);
    expect(notes.outcome).toEqual({ ok: false, text: expect.stringMatching(/past its end/) });
  });

  it('offers removal to the author and to supervisors only, and annotation to the roles that may', async () => {
    const qa = server({ id: 'u-qa', role: 'QA' }).notes;
    await qa.load('rec-1');
    expect(qa.notes.map((n) => qa.canRemove(n))).toEqual([false, true]);
    const sup = server({ id: 'u-sup2', role: 'SUPERVISOR' }).notes;
    await sup.load('rec-1');
    expect(sup.notes.map((n) => sup.canRemove(n))).toEqual([true, true]);
    const agent = server({ id: 'u-agent', role: 'AGENT' }).notes;
    await agent.load('rec-1');
    expect([agent.canAnnotate, agent.notes.some((n) => agent.canRemove(n))]).toEqual([false, false]);
  });

  it('shows the list under the player with moments to seek to, in Chinese and English', async () => {
    const { notes } = server({ id: 'u-qa', role: 'QA' });
    await notes.load('rec-1');
    const props = { notes, currentTime: () => 0, seek: () => {} };
    const zh = text(render(RecordingNotesList, { props: { ...props, i18n: new I18n() } }).body);
    expect(zh).toContain('批注');
    expect(zh).toContain('在此处添加批注');
    expect(zh).toMatch(/00:12 Greeting skipped — 陈主管 .*02:13 合规 承诺了脚本外的折扣 — 质检小王 删除批注/);
    const html = render(RecordingNotesList, { props: { ...props, i18n: en() } }).body;
    expect(text(html)).toContain('Annotate here');
    expect(html).toContain('title="Go to 02:13"');
    const empty = server({ id: 'u-agent', role: 'AGENT' }).notes;
    expect(text(render(RecordingNotesList, { props: { ...props, notes: empty, i18n: en() } }).body)).toContain('No notes yet');
  });

  it('the recordings panel still renders (no recording chosen: no notes yet)', () => {
    const api = new FakeApi().on('RecAgents', () => ({ users: { nodes: [] } }));
    const html = render(Recordings, { props: { i18n: new I18n(), api, fetchAudio: async () => '' } }).body;
    expect(text(html)).toContain('录音检索');
    expect(html).not.toContain('recording-notes');
  });
});
