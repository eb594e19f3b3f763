import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { buildSchema, execute, parse, subscribe, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { resolvers } from './resolvers.ts';
import { Scenario } from './scenario.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

/** The committed API schema with the scenario's resolvers attached (the console cannot send what the API would refuse). */
function scenarioSchema(s: Scenario): GraphQLSchema {
  const dir = path.join(ROOT, 'src/api/schema');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort((a, b) => (a === 'common.graphql' ? -1 : b === 'common.graphql' ? 1 : a.localeCompare(b)));
  const schema = buildSchema(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n'));
  const r = resolvers(s);
  for (const [typeName, fns] of Object.entries(r)) {
    const fields = (schema.getType(typeName) as any).getFields();
    for (const [name, fn] of Object.entries(fns)) {
      if (!fields[name]) throw new Error(`scenario resolver ${typeName}.${name} is not in the schema`);
      if (typeName === 'Subscription') {
        fields[name].subscribe = (_root: unknown, args: any, ctx: any) => (fn as any)(args, ctx);
        fields[name].resolve = (payload: any) => payload[name];
      } else fields[name].resolve = (_root: unknown, args: any, ctx: any) => (fn as any)(args, ctx);
    }
  }
  return schema;
}

/** Half a second of 8 kHz 16-bit silence: a real WAV the audio element can load. */
export function silentWav(): Buffer {
  const samples = 4000;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples * 2, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24); b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(samples * 2, 40);
  return b;
}

export interface ScenarioServer {
  url: string;
  scenario: Scenario;
  stop(): Promise<void>;
}

/** Serves ui/dist and the scenario's GraphQL (POST + graphql-ws) on one port, like the real API. */
export async function startScenarioServer(): Promise<ScenarioServer> {
  const scenario = new Scenario();
  const schema = scenarioSchema(scenario);
  const dist = path.join(ROOT, 'ui/dist');
  const userOf = (auth: string | undefined) => scenario.tokens.get((auth ?? '').replace(/^Bearer /, ''));

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/graphql') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { query, variables } = JSON.parse(body);
      const doc = parse(query);
      const errors = validate(schema, doc);
      const out = errors.length ? { errors } : await execute({ schema, document: doc, variableValues: variables, contextValue: { user: userOf(req.headers.authorization) } });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/imports') {
      // As the real route: admins and supervisors import; agents add single customers with createLead.
      if (!['ADMIN', 'SUPERVISOR'].includes(userOf(req.headers.authorization)?.role ?? '')) return void res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":"FORBIDDEN"}');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const out = await scenario.importFile(Object.fromEntries(url.searchParams), Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'BAD_FILE', message: (e as Error).message }));
      }
      return;
    }
    if (req.method === 'POST' && url.pathname === '/prompts') {
      const u = userOf(req.headers.authorization);
      if (u?.role !== 'ADMIN') return void res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":"FORBIDDEN"}');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const wav = Buffer.concat(chunks);
      if (wav.subarray(0, 4).toString() !== 'RIFF') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"BAD_AUDIO","message":"不是 WAV 文件 / not a WAV file"}');
      const prompt = { id: `p-${scenario.prompts.length + 1}`, name: url.searchParams.get('name') ?? 'prompt', durationSeconds: (wav.length - 44) / 16000, sha256: 'x', uploadedBy: u, uploadedAt: new Date().toISOString() };
      scenario.prompts.push(prompt);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(prompt));
      return;
    }
    if (url.pathname.startsWith('/recordings/')) {
      const u = userOf(req.headers.authorization);
      if (!u) return void res.writeHead(401).end();
      scenario.recordingReads.push({ path: `${url.pathname}${url.search}`, user: u.id });
      res.writeHead(200, { 'content-type': 'audio/wav' }).end(silentWav());
      return;
    }
    const file = path.join(dist, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(dist) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  // Our graphql instance throughout: under vitest the graphql-ws server may load a second copy, and a schema
  // from one copy fails the other's instanceof checks silently.
  const ws = useServer({ schema, validate, execute, subscribe, context: (ctx) => ({ user: scenario.tokens.get(String((ctx.connectionParams as any)?.token ?? '')) }) }, wss);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    scenario,
    async stop() {
      await ws.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
