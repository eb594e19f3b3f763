import type { Api, Sink } from '../src/lib/api.ts';
import { schemaErrors } from './schema.ts';

export interface Call {
  op: string;
  query: string;
  variables: Record<string, unknown>;
}

/** Operation name, or the first field for anonymous documents ("{ queues ... }"). */
export function operationName(query: string): string {
  const named = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query);
  if (named) return named[1];
  return /\{\s*(\w+)/.exec(query)?.[1] ?? '?';
}

/**
 * An Api that answers from handlers keyed by operation name and lets the test push subscription
 * payloads. Unknown operations fail loudly so a test never passes on a silent default.
 */
export class FakeApi implements Api {
  calls: Call[] = [];
  uploads: { path: string; body: string; params: Record<string, string> }[] = [];
  token: string | null = null;
  handlers: Record<string, (vars: Record<string, any>) => unknown> = {};
  sinks = new Map<string, Sink<any>[]>();

  on(op: string, handler: (vars: Record<string, any>) => unknown): this {
    this.handlers[op] = handler;
    return this;
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const op = operationName(query);
    this.assertValid(query);
    this.calls.push({ op, query, variables });
    const h = this.handlers[op];
    if (!h) throw new Error(`FakeApi: no handler for ${op}`);
    return (await h(variables)) as T;
  }

  subscribe<T>(query: string, _variables: Record<string, unknown>, sink: Sink<T>): () => void {
    const op = operationName(query);
    this.assertValid(query);
    const list = this.sinks.get(op) ?? [];
    list.push(sink);
    this.sinks.set(op, list);
    return () => this.sinks.set(op, (this.sinks.get(op) ?? []).filter((s) => s !== sink));
  }

  /** Every document the console sends must be valid against the API's real schema. */
  private assertValid(query: string) {
    const errors = schemaErrors(query);
    if (errors.length) throw new Error(`Invalid against src/api/schema: ${errors.join('; ')}\n${query}`);
  }

  push(op: string, data: unknown) {
    const list = this.sinks.get(op) ?? [];
    if (!list.length) throw new Error(`FakeApi: nobody subscribed to ${op}`);
    for (const s of list) s.next(data);
  }

  async upload(path: string, body: Blob | string, params: Record<string, string>) {
    this.uploads.push({ path, body: typeof body === 'string' ? body : await body.text(), params });
    return { importId: 'imp-1' };
  }

  async fetchBlob(): Promise<Blob> {
    return new Blob(['RIFF']);
  }

  setToken(token: string | null) {
    this.token = token;
  }

  named(op: string): Call[] {
    return this.calls.filter((c) => c.op === op);
  }
}
