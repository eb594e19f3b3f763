import path from 'node:path';

/** Everything the process reads from its environment, read once, in one place. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  eventStoreUrl?: string;
  esl?: { host: string; port: number; password: string };
  jwtSecret?: string;
  production: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.CALLSTREAM_DATA_DIR ?? './.callstream'),
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreUrl: env.EVENTSTORE_URL || undefined,
    esl: env.ESL_HOST
      ? { host: env.ESL_HOST, port: Number(env.ESL_PORT ?? 8021), password: env.ESL_PASSWORD ?? 'ClueCon' }
      : undefined,
    jwtSecret: env.CALLSTREAM_JWT_SECRET || undefined,
    production: env.NODE_ENV === 'production',
  };
}
