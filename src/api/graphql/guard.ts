import type { Role } from '../../domain/identity/events.ts';
import type { ApiContext } from './context.ts';
import { apiError, forbidden, toApiError, unauthenticated } from './errors.ts';

type Resolver = (root: any, args: any, ctx: ApiContext, info: any) => unknown;
type FieldResolver = Resolver | { subscribe: Resolver; resolve?: Resolver };
export type ResolverMap = Record<string, Record<string, FieldResolver>>;

/** Fields anonymous callers may use. Everything else needs a valid session. */
const PUBLIC = new Set(['Query.serverInfo', 'Mutation.login']);

/** Who may call what: root fields not listed are open to every signed-in role (and scoped inside). */
export type Permissions = Record<string, readonly Role[]>;

function guard(path: string, fn: Resolver, roles?: readonly Role[]): Resolver {
  return async (root, args, ctx, info) => {
    try {
      if (!PUBLIC.has(path)) {
        if (!ctx.principal) throw ctx.authError ? apiError('UNAUTHENTICATED', ctx.authError) : unauthenticated();
        if (roles && !roles.includes(ctx.principal.role)) throw forbidden(path.split('.')[1]);
      }
      return await fn(root, args, ctx, info);
    } catch (e) {
      throw toApiError(e);
    }
  };
}

const notAvailable = (path: string): Resolver => () => {
  throw apiError('NOT_AVAILABLE', `尚未开放 / ${path} is not available on this server yet`);
};

/**
 * Wraps every root field: authentication, the role check, and domain errors turned into typed GraphQL
 * errors. Root fields declared in the schema but with no resolver answer NOT_AVAILABLE (after the auth check).
 */
export function guardResolvers(resolvers: ResolverMap, schemaRootFields: Record<string, string[]>, permissions: Permissions): ResolverMap {
  const out: ResolverMap = { ...resolvers };
  for (const [type, fields] of Object.entries(schemaRootFields)) {
    const given = resolvers[type] ?? {};
    const wrapped: Record<string, FieldResolver> = {};
    for (const field of fields) {
      if (field === '_noop') continue;
      const path = `${type}.${field}`;
      const r = given[field] ?? (type === 'Subscription' ? { subscribe: notAvailable(path) } : notAvailable(path));
      wrapped[field] =
        typeof r === 'function' ? guard(path, r, permissions[path]) : { ...r, subscribe: guard(path, r.subscribe, permissions[path]) };
    }
    out[type] = wrapped;
  }
  return out;
}
