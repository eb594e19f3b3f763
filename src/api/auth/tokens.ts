import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';

export interface TokenClaims {
  userId: string;
  sessionId: string;
  expiresAt: string;
}

export class TokenError extends Error {
  readonly code = 'UNAUTHENTICATED';
}

const ISSUER = 'callstream';
const AUDIENCE = 'callstream-api';

/** HS256 JWTs. Only the user id and session id are in the token: role and department are read fresh per request. */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;

  constructor(secret: string | Uint8Array, ttlSeconds = 12 * 3600) {
    this.key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (this.key.length < 32) throw new Error('the JWT secret must be at least 32 bytes');
    this.ttlSeconds = ttlSeconds;
  }

  async issue(userId: string, now = new Date()): Promise<{ token: string } & TokenClaims> {
    const sessionId = randomUUID();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(sessionId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, userId, sessionId, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if (!payload.sub || !payload.jti || !payload.exp) throw new TokenError('token lacks subject, id or expiry');
      return { userId: payload.sub, sessionId: payload.jti, expiresAt: new Date(payload.exp * 1000).toISOString() };
    } catch (e) {
      if (e instanceof TokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new TokenError('登录已过期 / session expired, log in again');
      throw new TokenError('无效的登录凭证 / invalid token');
    }
  }
}
