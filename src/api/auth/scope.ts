import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Principal, Scope } from './principal.ts';

/** A department and every department under it. */
export async function departmentSubtree(pool: DatabasePool, departmentId: string): Promise<string[]> {
  const rows = await pool.anyFirst(sql.type(z.object({ department_id: z.string() }))`
    WITH RECURSIVE tree AS (
      SELECT department_id FROM api.departments WHERE department_id = ${departmentId}
      UNION
      SELECT d.department_id FROM api.departments d JOIN tree t ON d.parent_id = t.department_id
    )
    SELECT department_id FROM tree`);
  return rows.length ? [...rows] : [departmentId];
}

/**
 * What a caller may see. Agents: themselves. Team leaders: their team and the teams they lead.
 * Supervisors and QA: everyone in their department and the departments under it. Admins and auditors: all.
 */
export async function scopeOf(pool: DatabasePool, p: Principal): Promise<Scope> {
  if (p.role === 'admin' || p.role === 'auditor') return { all: true };
  const own = p.departmentId ? [p.departmentId] : [];
  if (p.role === 'agent') return { all: false, userIds: [p.userId], departmentIds: own };
  if (p.role === 'team_leader') {
    const ids = await pool.anyFirst(sql.type(z.object({ user_id: z.string() }))`
      SELECT u.user_id FROM api.users u
      WHERE u.team_id = ${p.teamId ?? ''} OR u.team_id IN (SELECT team_id FROM api.teams WHERE leader_id = ${p.userId})`);
    return { all: false, userIds: [...new Set([p.userId, ...ids])], departmentIds: own };
  }
  const departmentIds = p.departmentId ? await departmentSubtree(pool, p.departmentId) : [];
  const ids = await pool.anyFirst(sql.type(z.object({ user_id: z.string() }))`
    SELECT user_id FROM api.users WHERE department_id = ANY(${sql.array(departmentIds, 'text')})`);
  return { all: false, userIds: [...new Set([p.userId, ...ids])], departmentIds };
}
