import type { DatabasePool } from 'slonik';
import { DomainError } from '../../domain/decider.ts';
import type { EventStore } from '../../eventstore/types.ts';
import { findUser, findUserByUsername, isRevoked, revokeSession, runUserCommand, type UserRow } from './identity.ts';
import { checkPassword, dummyHash } from './passwords.ts';
import type { Principal } from './principal.ts';
import { TokenError, TokenService } from './tokens.ts';

const principalOf = (u: UserRow, sessionId: string, expiresAt: string): Principal => ({
  userId: u.user_id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  departmentId: u.department_id ?? undefined,
  teamId: u.team_id ?? undefined,
  sessionId,
  expiresAt,
});

/** Login, token checks and logout. Role and department come from the read model on every request, so a demotion takes effect at once. */
export class Auth {
  readonly tokens: TokenService;
  private readonly store: EventStore;
  private readonly pool: DatabasePool;

  constructor(store: EventStore, pool: DatabasePool, tokens: TokenService) {
    this.store = store;
    this.pool = pool;
    this.tokens = tokens;
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: string; principal: Principal; position: number }> {
    const user = typeof username === 'string' ? await findUserByUsername(this.pool, username) : null;
    // Same work whether or not the user exists, so response time does not reveal usernames.
    const ok = await checkPassword(user?.password_hash ?? (await dummyHash()), String(password ?? ''));
    if (!user || !ok) throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误 / wrong username or password');
    if (user.disabled) throw new DomainError('USER_DISABLED', '账号已停用 / this account is disabled');
    const issued = await this.tokens.issue(user.user_id);
    const result = await runUserCommand(this.store, user.user_id, 'RecordLogin', { sessionId: issued.sessionId, expiresAt: issued.expiresAt }, {
      actorId: user.user_id,
      actorRole: user.role,
    });
    return { token: issued.token, expiresAt: issued.expiresAt, principal: principalOf(user, issued.sessionId, issued.expiresAt), position: result.position };
  }

  /** The caller behind a bearer token; throws TokenError for forged, expired, revoked or disabled. */
  async authenticate(token: string): Promise<Principal> {
    const claims = await this.tokens.verify(token);
    if (await isRevoked(this.pool, claims.sessionId)) throw new TokenError('已退出登录 / this session was logged out');
    const user = await findUser(this.pool, claims.userId);
    if (!user) throw new TokenError('用户不存在 / unknown user');
    if (user.disabled) throw new TokenError('账号已停用 / this account is disabled');
    return principalOf(user, claims.sessionId, claims.expiresAt);
  }

  /** Reads `Authorization: Bearer …`; undefined for anonymous requests. */
  async fromHeader(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new TokenError('Authorization must be "Bearer <token>"');
    return this.authenticate(m[1]);
  }

  async logout(p: Principal): Promise<void> {
    await revokeSession(this.pool, p.sessionId, p.expiresAt);
    await runUserCommand(this.store, p.userId, 'RecordLogout', { sessionId: p.sessionId }, { actorId: p.userId, actorRole: p.role });
  }
}
