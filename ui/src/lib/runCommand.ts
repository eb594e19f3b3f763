import { commandId, type Api } from './api.ts';

export type Outcome = { ok: boolean; text: string };

/** Send one admin command with a fresh command id; the outcome is shown next to the form. */
export async function runCommand(api: Api, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  try {
    await api.request(query, { ...variables, commandId: commandId() });
    return { ok: true, text: '✓' };
  } catch (e) {
    return { ok: false, text: (e as Error).message };
  }
}
