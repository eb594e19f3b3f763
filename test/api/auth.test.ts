import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer({ loginRateLimit: { max: 30, timeWindowMs: 60_000 } }, 'api_auth');
});
afterAll(() => h?.close());

const ME = '{ me { id username role department { id name } team { id } } }';
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

describe('authentication', () => {
  it('gives anonymous callers only login', async () => {
    expect(code(await h.gql(ME))).toBe('UNAUTHENTICATED');
    expect(code(await h.gql('{ users { nodes { id } } }'))).toBe('UNAUTHENTICATED');
    expect(code(await h.gql('mutation { logout }'))).toBe('UNAUTHENTICATED');
    expect((await h.gql('{ serverInfo { headPosition } }')).data.serverInfo.headPosition).toBeGreaterThan(0);
  });

  it('logs in with the right password only, with the same error for unknown users', async () => {
    const token = await h.login('agent-east');
    const me = await h.gql(ME, {}, token);
    expect(me.data.me).toMatchObject({ id: 'agent-east', role: 'AGENT', department: { id: 'east', name: '华东' }, team: { id: 'east-a' } });
    const wrong = await h.gql('mutation { login(username: "agent-east", password: "nope-nope") { token } }');
    const unknown = await h.gql('mutation { login(username: "nobody", password: "nope-nope") { token } }');
    expect(code(wrong)).toBe('INVALID_CREDENTIALS');
    expect(code(unknown)).toBe('INVALID_CREDENTIALS');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
  });

  it('refuses forged, expired and tampered tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setJti('x').setIssuer('callstream').setAudience('callstream-api').setExpirationTime(now + 600).sign(new TextEncoder().encode('another-secret-of-at-least-32-bytes!!'));
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setJti('y').setIssuer('callstream').setAudience('callstream-api').setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(new TextEncoder().encode(SECRET));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'admin', jti: 'z', exp: now + 600, iss: 'callstream', aud: 'callstream-api' })).toString('base64url')}.`;
    const real = await h.login('agent-east');
    const [hd, , sig] = real.split('.');
    const tampered = `${hd}.${Buffer.from(JSON.stringify({ sub: 'admin', jti: 'q', exp: now + 600, iss: 'callstream', aud: 'callstream-api' })).toString('base64url')}.${sig}`;
    for (const t of [forged, expired, unsigned, tampered, 'garbage']) expect(code(await h.gql(ME, {}, t)), t).toBe('UNAUTHENTICATED');
    expect((await h.gql(ME, {}, expired)).errors![0].message).toMatch(/expired/);
  });

  it('revokes the token on logout, and only that one', async () => {
    const a = await h.login('agent-west');
    const b = await h.login('agent-west');
    expect((await h.gql('mutation { logout }', {}, a)).data.logout).toBe(true);
    expect(code(await h.gql(ME, {}, a))).toBe('UNAUTHENTICATED');
    expect((await h.gql(ME, {}, b)).data.me.id).toBe('agent-west');
  });

  it('records logins and logouts as events on the user stream', async () => {
    const t = await h.login('qa-east');
    await h.gql('mutation { logout }', {}, t);
    const types = (await h.store.readStream('user-qa-east')).map((e) => e.type);
    expect(types).toEqual(['UserCreated', 'UserLoggedIn', 'UserLoggedOut']);
  });

  it('limits password guessing per username without locking out the rest of the floor', async () => {
    const guess = () => h.gql('mutation { login(username: "sup-west", password: "guess-guess") { token } }');
    const codes = [];
    for (let i = 0; i < 31; i++) codes.push(code(await guess()));
    expect(codes.slice(0, 30).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes[30]).toBe('RATE_LIMITED');
    expect(code(await h.gql('mutation { login(username: "sup-west", password: "correct horse 电池") { token } }'))).toBe('RATE_LIMITED');
    expect(await h.login('sup-east')).toMatch(/^ey/);
  });

  it('locks out a disabled user at once, even with a live token', async () => {
    const admin = await h.login('admin');
    const t = await h.login('agent-east-2');
    const r = await h.gql('mutation { disableUser(userId: "agent-east-2", reason: "离职") { position } }', {}, admin);
    expect(r.errors).toBeUndefined();
    expect(code(await h.gql(ME, {}, t))).toBe('UNAUTHENTICATED');
    expect(code(await h.gql('mutation { login(username: "agent-east-2", password: "correct horse 电池") { token } }'))).toBe('USER_DISABLED');
  });
});
