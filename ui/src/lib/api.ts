import { createClient, type Client } from 'graphql-ws';

/** A GraphQL error as the API reports it: `extensions.code` plus a human reason. */
export class ApiError extends Error {
  code: string;
  details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

export interface Sink<T> {
  next(data: T): void;
  error?(err: unknown): void;
}

/** What the console needs from the server; components get it injected so tests can pass a fake. */
export interface Api {
  request<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  subscribe<T = any>(query: string, variables: Record<string, unknown>, sink: Sink<T>): () => void;
  /** Raw body POST (lead import, prompts); returns the parsed JSON reply. */
  upload(path: string, body: Blob | string, params: Record<string, string>): Promise<any>;
  /** Authenticated GET of a file (recordings): audio elements cannot send the bearer header themselves. */
  fetchBlob(path: string): Promise<Blob>;
  setToken(token: string | null): void;
}

interface GraphQLErrorJson {
  message: string;
  extensions?: { code?: string; reason?: string; details?: unknown };
}

export function toApiError(errors: GraphQLErrorJson[]): ApiError {
  const first = errors[0];
  const ext = first?.extensions ?? {};
  return new ApiError(ext.code ?? 'ERROR', ext.reason ?? first?.message ?? 'Unknown error', ext.details);
}

export interface ApiOptions {
  /** e.g. http://127.0.0.1:3000 ; defaults to the page's origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  webSocketImpl?: unknown;
}

/** Queries and mutations by fetch POST; subscriptions over one lazy graphql-ws socket per token. */
export function createApi(options: ApiOptions): Api {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const httpUrl = `${options.baseUrl}/graphql`;
  const wsUrl = httpUrl.replace(/^http/, 'ws');
  let token: string | null = null;
  let ws: Client | null = null;

  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  function socket(): Client {
    ws ??= createClient({
      url: wsUrl,
      lazy: true,
      connectionParams: () => ({ token }),
      webSocketImpl: options.webSocketImpl,
      // A refused connection (bad token) comes back as an unknown message type: retrying cannot help.
      shouldRetry: (e) => !(e instanceof Error && /connection_error/.test(e.message)),
      retryAttempts: 1000,
    });
    return ws;
  }

  return {
    async request(query, variables = {}) {
      const res = await doFetch(httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers() },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json().catch(() => null);
      if (body?.errors?.length) throw toApiError(body.errors);
      if (!res.ok || !body) throw new ApiError('HTTP_' + res.status, res.statusText || 'Request failed');
      return body.data;
    },
    subscribe(query, variables, sink) {
      return socket().subscribe(
        { query, variables },
        {
          next: (msg) => {
            if (msg.errors?.length) sink.error?.(toApiError(msg.errors as GraphQLErrorJson[]));
            else if (msg.data) sink.next(msg.data as any);
          },
          error: (e) => sink.error?.(Array.isArray(e) ? toApiError(e) : e),
          complete: () => {},
        },
      );
    },
    async upload(path, body, params) {
      const qs = new URLSearchParams(params).toString();
      const res = await doFetch(`${options.baseUrl}${path}?${qs}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers() }, body });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) throw new ApiError(json.code ?? 'HTTP_' + res.status, json.message ?? json.reason ?? res.statusText);
      return json;
    },
    async fetchBlob(path) {
      const res = await doFetch(`${options.baseUrl}${path}`, { headers: headers() });
      if (!res.ok) throw new ApiError('HTTP_' + res.status, res.statusText || 'Download failed');
      return res.blob();
    },
    setToken(next) {
      if (next === token) return;
      token = next;
      // The socket authenticates once at connection_init, so a new identity needs a new socket.
      void ws?.dispose();
      ws = null;
    },
  };
}

/** Client-chosen command id so a retried click is not run twice. */
export function commandId(): string {
  return globalThis.crypto.randomUUID();
}
