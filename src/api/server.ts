import type { Registry } from 'prom-client';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import mercurius from 'mercurius';
import { buildSchema } from 'graphql';
import type { DatabasePool } from 'slonik';
import type { Config } from '../config.ts';
import type { EventStore } from '../eventstore/types.ts';
import type { LivePubSub } from '../projections/live/pubsub.ts';
import { Auth } from './auth/auth.ts';
import type { Principal } from './auth/principal.ts';
import { scopeOf } from './auth/scope.ts';
import { TokenError, TokenService } from './auth/tokens.ts';
import type { ApiContext } from './graphql/context.ts';
import { apiError } from './graphql/errors.ts';
import { guardResolvers } from './graphql/guard.ts';
import { costLimitRule } from './graphql/limits.ts';
import { PERMISSIONS } from './graphql/permissions.ts';
import { annotationLoaders, annotationResolvers } from './graphql/resolvers/annotations.ts';
import { auditLoaders, auditResolvers } from './graphql/resolvers/audit.ts';
import { callResolvers } from './graphql/resolvers/calls.ts';
import { catalogueResolvers } from './graphql/resolvers/catalogue.ts';
import { commandResolvers } from './graphql/resolvers/commands.ts';
import { identityLoaders, identityResolvers, identityTypes } from './graphql/resolvers/identity.ts';
import { configQueryResolvers } from './graphql/resolvers/configQueries.ts';
import { consoleLoaders, consoleResolvers } from './graphql/resolvers/console.ts';
import { createLead } from './graphql/resolvers/createLead.ts';
import { floorAdminResolvers } from './graphql/resolvers/floorAdmin.ts';
import { followUpResolvers } from './graphql/resolvers/followUps.ts';
import { importResolvers } from './graphql/resolvers/imports.ts';
import { ImportJobs } from './imports/importJobs.ts';
import { liveResolvers } from './graphql/resolvers/live.ts';
import { readModelLoaders, readModelResolvers } from './graphql/resolvers/readModels.ts';
import { recordingResolvers } from './graphql/resolvers/recordings.ts';
import { previewResolvers } from './graphql/resolvers/preview.ts';
import { blacklistResolvers } from './graphql/resolvers/blacklist.ts';
import { inboundResolvers } from './graphql/resolvers/inbound.ts';
import { PreviewLeads } from '../floor/previewLeads.ts';
import type { DialHistory } from '../dialer/compliance/dialHistory.ts';
import { scalars } from './graphql/scalars.ts';
import { ApiProjector } from './readModel/apiProjector.ts';
import type { ReadModels } from './readModels.ts';
import type { CallControlPort } from './telephony.ts';
import { createMetrics, opsRoutes } from './routes/ops.ts';
import { importRoutes } from './routes/imports.ts';
import { promptRoutes } from './routes/prompts.ts';
import { recordingRoutes } from './routes/recordings.ts';
import { loadSchemaSdl } from './schema/load.ts';

/** Everything the API needs, passed in by the composition root (src/main.ts) or a test. No globals. */
export interface ApiDeps {
  eventStore: EventStore;
  /** slonik pool of the database holding the migrated `api` schema and the read models. */
  pool: DatabasePool;
  config: Config;
  /** Change notices of the projection runner (optional: subscriptions read the log itself). */
  pubsub?: LivePubSub;
  /** Registry /metrics serves; pass the one the projection runner reports lag and throughput to. */
  metricsRegistry?: Registry;
  /** Live call control (the telephony session); without it call-control mutations answer NOT_AVAILABLE. */
  telephony?: CallControlPort;
  /** The floor's compliance history, shared with the dialers (preview leads skip numbers on a live call). */
  dialHistory?: DialHistory;
  /** Read-model queries from src/projections (see readModels.ts); missing ones answer NOT_AVAILABLE. */
  readModels?: ReadModels;
  /** JWT signing secret (>= 32 bytes); default `config.jwtSecret`; required when `config.production`. */
  jwtSecret?: string;
  /** Session lifetime (default 12 h, one shift plus overtime). */
  tokenTtlSeconds?: number;
  /** Default `<dataDir>/recordings` and `<dataDir>/prompts`. */
  recordingsDir?: string;
  promptsDir?: string;
  /** Where uploaded lead files are kept (default `<dataDir>/imports`). */
  importsDir?: string;
  /** Largest lead file POST /imports accepts, bytes (default 512 MiB). */
  maxImportBytes?: number;
  /** Built UI served at `/` when it has an index.html (default `ui/dist`). */
  uiDir?: string;
  /** Allowed browser origins (default: any in development, none cross-origin in production). */
  corsOrigins?: string[];
  /** Login attempts per (client address, username) per window (default 10 a minute), and per address (default 300). */
  loginRateLimit?: { max: number; maxPerAddress?: number; timeWindowMs: number };
  queryDepth?: number;
  maxQueryCost?: number;
  /** JSON body limit in bytes (default 1 MiB; prompt uploads have their own). */
  bodyLimit?: number;
  logger?: boolean;
}

function rootFields(sdl: string): Record<string, string[]> {
  const schema = buildSchema(sdl);
  return {
    Query: Object.keys(schema.getQueryType()!.getFields()),
    Mutation: Object.keys(schema.getMutationType()!.getFields()),
    Subscription: Object.keys(schema.getSubscriptionType()!.getFields()),
  };
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/**
 * Builds the HTTP server: GraphQL at /graphql (graphql-ws subscriptions on the same path), GraphiQL at
 * /graphiql outside production, /health, /metrics, /recordings/:id, POST /prompts, and the UI.
 * Call `listen` yourself; `close()` stops the API projector too.
 */
export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const { eventStore: store, pool, config } = deps;
  let secret = deps.jwtSecret ?? config.jwtSecret;
  if (!secret) {
    if (config.production) throw new Error('CALLSTREAM_JWT_SECRET must be set in production (at least 32 bytes)');
    secret = randomBytes(32).toString('hex'); // development: sessions end when the process restarts
  }
  const auth = new Auth(store, pool, new TokenService(secret, deps.tokenTtlSeconds));
  const projector = new ApiProjector(store, pool);
  const readModels = deps.readModels ?? {};
  const metrics = createMetrics(deps.metricsRegistry);
  const imports = new ImportJobs(store, pool);
  const importApi = importResolvers(imports);
  const previewApi = previewResolvers(new PreviewLeads(store, { history: deps.dialHistory }));
  let ready = false;

  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: deps.bodyLimit ?? 1024 * 1024, trustProxy: false });
  await app.register(cors, { origin: deps.corsOrigins ?? !config.production, methods: ['GET', 'POST', 'OPTIONS'] });
  await app.register(rateLimit, { global: false });
  // A whole call floor often sits behind one NAT address: limit guesses per (address, username), and
  // only loosely per address, so a shift logging in at 09:00 is not locked out.
  const window = deps.loginRateLimit?.timeWindowMs ?? 60_000;
  const perUser = app.createRateLimit({ max: deps.loginRateLimit?.max ?? 10, timeWindow: window, keyGenerator: (req) => `${req.ip}|${loginNames.get(req) ?? ''}` });
  const perAddress = app.createRateLimit({ max: deps.loginRateLimit?.maxPerAddress ?? 300, timeWindow: window });
  const loginNames = new WeakMap<object, string>();
  const loginLimiter = async (req: FastifyRequest, username: string) => {
    loginNames.set(req, String(username ?? '').trim().toLowerCase());
    for (const limiter of [perUser, perAddress]) {
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) return r.ttl;
    }
    return 0;
  };

  const base = (principal?: Principal, authError?: string): ApiContext => ({
    store,
    pool,
    auth,
    projector,
    readModels,
    principal,
    authError,
    scope: memo(() => (principal ? scopeOf(pool, principal) : Promise.resolve({ all: false, userIds: [], departmentIds: [] }))),
    recordingUrl: (id) => `/recordings/${encodeURIComponent(id)}`,
  });

  const sdl = loadSchemaSdl();
  const resolvers = guardResolvers(
    {
      Query: { ...readModelResolvers.Query, ...auditResolvers.Query, ...identityResolvers.Query, ...recordingResolvers.Query, ...importApi.Query, ...floorAdminResolvers.Query, ...configQueryResolvers.Query, ...previewApi.Query, ...liveResolvers.Query, ...blacklistResolvers.Query, ...inboundResolvers.Query, ...consoleResolvers.Query, ...catalogueResolvers.Query, ...annotationResolvers.Query },
      Mutation: {
        ...callResolvers(deps.telephony).Mutation,
        ...commandResolvers.Mutation,
        ...identityResolvers.Mutation,
        ...importApi.Mutation,
        ...floorAdminResolvers.Mutation,
        ...followUpResolvers.Mutation,
        ...consoleResolvers.Mutation,
        ...blacklistResolvers.Mutation,
        ...inboundResolvers.Mutation,
        ...annotationResolvers.Mutation,
        createLead,
        login: async (root: unknown, args: any, ctx: any) => {
          const retryAfterMs = await loginLimiter(ctx.request, args.username);
          if (retryAfterMs) throw apiError('RATE_LIMITED', '登录尝试过多，请稍后再试 / too many login attempts, try again later', { retryAfterMs });
          return identityResolvers.Mutation.login(root, args, ctx);
        },
      },
      Subscription: liveResolvers.Subscription,
    },
    rootFields(sdl),
    PERMISSIONS,
  );

  await app.register(mercurius, {
    schema: sdl,
    resolvers: { ...resolvers, ...identityTypes, RecordingAccess: auditResolvers.RecordingAccess, Recording: recordingResolvers.Recording, ImportJob: importApi.ImportJob, Campaign: catalogueResolvers.Campaign, ...scalars } as any,
    loaders: { ...readModelLoaders, ...identityLoaders, ...auditLoaders, Recording: annotationLoaders.Recording, Order: { ...readModelLoaders.Order, ...consoleLoaders.Order } } as any,
    graphiql: !config.production,
    queryDepth: deps.queryDepth ?? 10,
    validationRules: [costLimitRule(deps.maxQueryCost ?? 20_000)],
    context: async (request) => {
      try {
        return { ...base(await auth.fromHeader(request.headers.authorization)), request };
      } catch (e) {
        if (e instanceof TokenError) return { ...base(undefined, e.message), request };
        throw e;
      }
    },
    subscription: {
      keepAlive: 15_000,
      context: () => base(),
      // Browsers cannot set headers on a WebSocket: the token comes in connection_init's payload.
      onConnect: async ({ payload }) => {
        try {
          const principal = await auth.authenticate(String(payload?.token ?? ''));
          return base(principal);
        } catch {
          return false;
        }
      },
    },
    errorFormatter: (execution, ctx) => {
      for (const e of execution.errors ?? []) metrics.graphqlErrors.labels(String((e.extensions as any)?.code ?? 'INTERNAL')).inc();
      return mercurius.defaultErrorFormatter(execution, ctx);
    },
  });

  app.addHook('onClose', async () => {
    await imports.idle();
    await projector.stop();
  });
  await opsRoutes(app, { metrics, isReady: () => ready, uiDir: deps.uiDir ?? path.resolve('ui/dist') });
  await app.register(recordingRoutes, { store, pool, auth, recordingsDir: deps.recordingsDir ?? path.join(config.dataDir, 'recordings') });
  await app.register(importRoutes, { store, pool, auth, jobs: imports, importsDir: deps.importsDir ?? path.join(config.dataDir, 'imports'), maxBytes: deps.maxImportBytes });
  await app.register(promptRoutes, { store, auth, promptsDir: deps.promptsDir ?? path.join(config.dataDir, 'prompts') });

  await imports.markInterrupted();
  await projector.start();
  ready = true;
  return app;
}
