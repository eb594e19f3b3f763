import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import type { EventStore, RecordedEvent, Subscription } from '../../eventstore/types.ts';

/** Events the API's own read models (users, org tree, recordings, prompts) are built from. */
export const API_EVENT_TYPES = [
  'UserCreated',
  'UserRoleChanged',
  'UserMoved',
  'UserPasswordChanged',
  'UserDisabled',
  'UserEnabled',
  'UserLoggedOut',
  'DepartmentCreated',
  'DepartmentRenamed',
  'TeamCreated',
  'TeamLeaderSet',
  'CallBridged',
  'CallRecordingStarted',
  'CallRecordingStopped',
  'PromptUploaded',
];

const CHECKPOINT = 'api';

async function apply(tx: DatabaseTransactionConnection, e: RecordedEvent): Promise<void> {
  const d = e.data as Record<string, any>;
  const pos = e.position;
  switch (e.type) {
    case 'UserCreated':
      await tx.query(sql.unsafe`
        INSERT INTO api.users (user_id, username, display_name, password_hash, role, department_id, team_id, position)
        VALUES (${d.userId}, ${d.username}, ${d.displayName}, ${d.passwordHash}, ${d.role}, ${d.departmentId ?? null}, ${d.teamId ?? null}, ${pos})
        ON CONFLICT (user_id) DO NOTHING`);
      return;
    case 'UserRoleChanged':
      await tx.query(sql.unsafe`UPDATE api.users SET role = ${d.role}, position = ${pos} WHERE user_id = ${d.userId}`);
      return;
    case 'UserMoved':
      await tx.query(sql.unsafe`UPDATE api.users SET department_id = ${d.departmentId ?? null}, team_id = ${d.teamId ?? null}, position = ${pos} WHERE user_id = ${d.userId}`);
      return;
    case 'UserPasswordChanged':
      await tx.query(sql.unsafe`UPDATE api.users SET password_hash = ${d.passwordHash}, position = ${pos} WHERE user_id = ${d.userId}`);
      return;
    case 'UserDisabled':
    case 'UserEnabled':
      await tx.query(sql.unsafe`UPDATE api.users SET disabled = ${e.type === 'UserDisabled'}, position = ${pos} WHERE user_id = ${d.userId}`);
      return;
    case 'UserLoggedOut':
      await tx.query(sql.unsafe`
        INSERT INTO api.revoked_sessions (session_id, expires_at) VALUES (${d.sessionId}, now() + interval '30 days')
        ON CONFLICT DO NOTHING`);
      return;
    case 'DepartmentCreated':
      await tx.query(sql.unsafe`
        INSERT INTO api.departments (department_id, name, parent_id, position) VALUES (${d.departmentId}, ${d.name}, ${d.parentId ?? null}, ${pos})
        ON CONFLICT (department_id) DO NOTHING`);
      return;
    case 'DepartmentRenamed':
      await tx.query(sql.unsafe`UPDATE api.departments SET name = ${d.name}, position = ${pos} WHERE department_id = ${d.departmentId}`);
      return;
    case 'TeamCreated':
      await tx.query(sql.unsafe`
        INSERT INTO api.teams (team_id, department_id, name, leader_id, position) VALUES (${d.teamId}, ${d.departmentId}, ${d.name}, ${d.leaderId ?? null}, ${pos})
        ON CONFLICT (team_id) DO NOTHING`);
      return;
    case 'TeamLeaderSet':
      await tx.query(sql.unsafe`UPDATE api.teams SET leader_id = ${d.leaderId ?? null}, position = ${pos} WHERE team_id = ${d.teamId}`);
      return;
    case 'CallBridged':
      await tx.query(sql.unsafe`
        INSERT INTO api.call_agents (call_id, agent_id) VALUES (${d.callId}, ${d.agentId})
        ON CONFLICT (call_id) DO UPDATE SET agent_id = EXCLUDED.agent_id`);
      return;
    case 'CallRecordingStarted':
      await tx.query(sql.unsafe`
        INSERT INTO api.recordings (recording_id, call_id, file, started_at, position)
        VALUES (${d.recordingId}, ${d.callId}, ${d.file}, ${d.at ?? e.recordedAt}, ${pos})
        ON CONFLICT (recording_id) DO NOTHING`);
      return;
    case 'CallRecordingStopped':
      await tx.query(sql.unsafe`
        INSERT INTO api.recordings (recording_id, call_id, file, sha256, duration_ms, started_at, stopped, position)
        VALUES (${d.recordingId}, ${d.callId}, ${d.file}, ${d.sha256 ?? null}, ${d.durationMs ?? null}, ${d.at ?? e.recordedAt}, true, ${pos})
        ON CONFLICT (recording_id) DO UPDATE SET file = EXCLUDED.file, sha256 = EXCLUDED.sha256,
          duration_ms = EXCLUDED.duration_ms, stopped = true, position = EXCLUDED.position`);
      return;
    case 'PromptUploaded':
      await tx.query(sql.unsafe`
        INSERT INTO api.prompts (prompt_id, name, file, sha256, bytes, uploaded_by, uploaded_at, position)
        VALUES (${d.promptId}, ${d.name}, ${d.file}, ${d.sha256}, ${d.bytes}, ${d.uploadedBy ?? null}, ${d.at}, ${pos})
        ON CONFLICT (prompt_id) DO UPDATE SET name = EXCLUDED.name, file = EXCLUDED.file, sha256 = EXCLUDED.sha256,
          bytes = EXCLUDED.bytes, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = EXCLUDED.uploaded_at, position = EXCLUDED.position`);
      return;
  }
}

/** Applies a batch and moves the checkpoint in one transaction; re-runnable (slonik may retry it). */
export async function applyApiEvents(pool: DatabasePool, events: RecordedEvent[]): Promise<void> {
  if (!events.length) return;
  const last = events[events.length - 1].position;
  await pool.transaction(async (tx) => {
    const done = Number(await tx.maybeOneFirst(sql.unsafe`SELECT position FROM api.checkpoint WHERE name = ${CHECKPOINT} FOR UPDATE`) ?? 0);
    for (const e of events) if (e.position > done) await apply(tx, e);
    await tx.query(sql.unsafe`
      INSERT INTO api.checkpoint (name, position) VALUES (${CHECKPOINT}, ${last})
      ON CONFLICT (name) DO UPDATE SET position = GREATEST(api.checkpoint.position, EXCLUDED.position)`);
  });
}

/**
 * Keeps the API read models up to date from the log, and lets a command wait until its own events are
 * visible (read-your-writes for login right after createUser, say).
 */
export class ApiProjector {
  private position = 0;
  private subscription?: Subscription;
  private waiters: { position: number; resolve(): void }[] = [];
  private readonly store: EventStore;
  private readonly pool: DatabasePool;

  constructor(store: EventStore, pool: DatabasePool) {
    this.store = store;
    this.pool = pool;
  }

  /** Resolves once caught up with the log as it was at start. */
  async start(): Promise<void> {
    const after = Number(await this.pool.maybeOneFirst(sql.unsafe`SELECT position FROM api.checkpoint WHERE name = ${CHECKPOINT}`) ?? 0);
    this.position = after;
    const head = await this.store.headPosition();
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    this.subscription = this.store.subscribe(
      async (events) => {
        await applyApiEvents(this.pool, events);
        this.advance(events[events.length - 1].position);
      },
      {
        after,
        filter: { eventTypes: API_EVENT_TYPES },
        onCaughtUp: (p) => {
          this.advance(Math.max(p, this.position));
          caughtUp();
        },
      },
    );
    if (head <= after) caughtUp();
    await ready;
  }

  private advance(p: number): void {
    if (p <= this.position) return;
    this.position = p;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.position <= p) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves when every event up to `position` is reflected in the API read models (or after timeoutMs). */
  waitFor(position: number, timeoutMs = 5000): Promise<void> {
    if (position <= this.position) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push({ position, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }
}
