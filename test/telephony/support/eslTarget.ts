/**
 * Where contract tests point: the simulator by default, a real FreeSWITCH when
 * ESL_HOST/ESL_PORT/ESL_PASSWORD are set (configured with freeswitch/ from this repo).
 */
import { randomUUID } from 'node:crypto';
import { EslClient } from '../../../src/telephony/esl/eslClient.ts';
import type { TelephonyFact } from '../../../src/telephony/esl/facts.ts';
import type { FreeSwitchSimulator } from '../../../src/telephony/simulator/server.ts';
import { startSim } from './sim.ts';

export interface Target {
  host: string;
  port: number;
  password: string;
  sim?: FreeSwitchSimulator;
  stop(): Promise<void>;
}

export async function eslTarget(): Promise<Target> {
  if (process.env.ESL_HOST) {
    return { host: process.env.ESL_HOST, port: Number(process.env.ESL_PORT ?? 8021), password: process.env.ESL_PASSWORD ?? 'ClueCon', stop: async () => {} };
  }
  const sim = await startSim({ agentAnswerMs: 200 });
  return { host: '127.0.0.1', port: sim.port, password: sim.password, sim, stop: () => sim.stop() };
}

/** Collects facts and waits for one. */
export class FactLog {
  readonly facts: TelephonyFact[] = [];
  private waiters: Array<() => void> = [];

  constructor(client: EslClient) {
    client.on('fact', (f) => {
      this.facts.push(f);
      const w = this.waiters;
      this.waiters = [];
      w.forEach((fn) => fn());
    });
  }

  of(callId: string): TelephonyFact[] {
    return this.facts.filter((f) => 'callId' in f && f.callId === callId);
  }

  async waitFor(pred: (f: TelephonyFact) => boolean, timeoutMs = 5000): Promise<TelephonyFact> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.facts.find(pred);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for fact');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

export const newId = () => randomUUID();
