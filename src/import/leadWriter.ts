import { handleCommand } from '../commands/handleCommand.ts';
import { DomainError } from '../domain/decider.ts';
import type { ImportLead } from '../domain/lead/commands.ts';
import { leadDecider } from '../domain/lead/decider.ts';
import { leadStreamId } from '../domain/lead/streams.ts';
import { WrongExpectedRevisionError } from '../eventstore/errors.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { EventStore } from '../eventstore/types.ts';

export interface RowRejection {
  /** Data row, counted from 1 below the header (for calls: the n-th call considered). */
  row: number;
  value: string;
  reason: string;
}

export interface ImportProgress {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  /** Rows whose command had been handled before (a re-import): nothing written again. */
  alreadyImported: number;
}

export interface LeadWriterOptions {
  store: EventStore;
  actorId?: string;
  actorRole?: string;
  /** Lead appends kept in flight; the PostgreSQL store groups them into shared commits (default 256). */
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Turns ImportLead commands into lead events with many appends in flight. A number never seen takes a
 * fast path (decide on the empty state, append expecting no stream); a known number goes through the
 * command handler, which merges it or finds the command already handled. Commands for one number run in
 * submission order. Each command must carry a command id: that is what makes a re-run write nothing.
 */
export class LeadWriter {
  readonly counts: ImportProgress = { rows: 0, imported: 0, duplicates: 0, rejected: 0, alreadyImported: 0 };
  readonly rejections: RowRejection[] = [];
  private readonly opts: LeadWriterOptions;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly byNumber = new Map<string, Promise<void>>();
  private failure: unknown;
  private lastReport = 0;

  constructor(opts: LeadWriterOptions) {
    this.opts = opts;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  reject(row: number, value: string, reason: string): void {
    this.counts.rejected++;
    this.rejections.push({ row, value, reason });
    this.progress();
  }

  /** Validates at once (rejections are recorded here) and queues the write; waits only for a free slot. */
  async submit(cmd: ImportLead, raw: string): Promise<void> {
    this.counts.rows++;
    const row = cmd.data.row ?? this.counts.rows;
    // Deciding on the empty state validates the row (number, fields) and yields its E.164 key in one go.
    const fresh = leadDecider.decide(cmd, leadDecider.initialState());
    if (fresh instanceof DomainError || fresh.length === 0) return this.reject(row, raw, fresh instanceof DomainError ? fresh.reason : 'nothing to import');
    const e164 = fresh[0].data.phone;
    while (this.inFlight.size >= (this.opts.concurrency ?? 256)) await Promise.race(this.inFlight);
    const before = this.byNumber.get(e164) ?? Promise.resolve();
    const task: Promise<void> = before
      .then(() => this.write(cmd, e164, fresh, raw, row))
      .catch((e) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.inFlight.delete(task);
        if (this.byNumber.get(e164) === task) this.byNumber.delete(e164);
        this.progress();
      });
    this.inFlight.add(task);
    this.byNumber.set(e164, task);
  }

  /** Waits for every queued write; throws the first store failure (what was written stays written). */
  async finish(what: string): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) {
      const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new Error(`${what} stopped after ${this.counts.rows} rows: ${reason}. Rows already written stay; run the same import again to continue`, {
        cause: this.failure,
      });
    }
    this.rejections.sort((a, b) => a.row - b.row);
    this.progress(true);
  }

  private async write(cmd: ImportLead, e164: string, fresh: { type: string; data: unknown }[], raw: string, row: number): Promise<void> {
    const { store } = this.opts;
    const streamId = leadStreamId(e164);
    const commandId = cmd.meta.commandId!;
    const metadata = { commandId, correlationId: commandId, causationId: commandId, actorId: this.opts.actorId, actorRole: this.opts.actorRole, occurredAt: cmd.meta.now, schemaVersion: 1 };
    // Same ids and metadata as handleCommand would write, so either path recognises the other's work.
    const events = fresh.map((e, i) => ({ id: deterministicUuid(streamId, commandId, i), type: e.type, data: e.data as Record<string, unknown>, metadata }));
    try {
      const r = await store.append(streamId, events, 'no-stream');
      if (r.written) this.tally(events[0].type);
      else this.counts.alreadyImported++;
      return;
    } catch (e) {
      if (!(e instanceof WrongExpectedRevisionError)) throw e;
    }
    try {
      const r = await handleCommand(store, leadDecider, e164, cmd);
      if (r.repeated) this.counts.alreadyImported++;
      else this.tally(r.events[0]?.type);
    } catch (e) {
      if (e instanceof DomainError) return this.reject(row, raw, e.reason);
      throw e;
    }
  }

  private tally(type: string | undefined): void {
    if (type === 'LeadImported') this.counts.imported++;
    else if (type === 'LeadDuplicateMerged') this.counts.duplicates++;
  }

  private progress(force = false): void {
    const t = Date.now();
    if (this.opts.onProgress && (force || t - this.lastReport >= 200)) {
      this.lastReport = t;
      this.opts.onProgress({ ...this.counts });
    }
  }
}
