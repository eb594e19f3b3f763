import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** A registry per server (no global): tests start many servers in one process. The system passes the registry its projection runner reports to. */
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'callstream_' });
  const requests = new Histogram({
    name: 'callstream_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const graphqlErrors = new Counter({ name: 'callstream_graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers: [registry] });
  return { registry, requests, graphqlErrors };
}
export type Metrics = ReturnType<typeof createMetrics>;

export async function opsRoutes(app: FastifyInstance, opts: { metrics: Metrics; isReady: () => boolean; uiDir?: string }): Promise<void> {
  app.addHook('onResponse', async (req, reply) => {
    opts.metrics.requests.labels(req.method, req.routeOptions.url ?? 'unknown', String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });
  app.get('/health', async (_req, reply) => (opts.isReady() ? { status: 'ok' } : reply.code(503).send({ status: 'starting' })));
  app.get('/metrics', async (_req, reply) => reply.header('content-type', opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics()));
  const ui = opts.uiDir && path.resolve(opts.uiDir);
  if (ui && existsSync(path.join(ui, 'index.html'))) {
    await app.register(fastifyStatic, { root: ui, prefix: '/', wildcard: false });
    // Client-side routes: any unknown GET that is not an API path gets the single-page app.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !/^\/(graphql|recordings|prompts|health|metrics)/.test(req.url)) return reply.sendFile('index.html');
      return reply.code(404).send({ code: 'NOT_FOUND', reason: `no route ${req.method} ${req.url}` });
    });
  }
}
