import { createRequire } from 'node:module';

/**
 * An in-process stand-in for EventStoreDB's gRPC Streams service, built from the service definitions that
 * `@eventstore/db-client` itself ships (its generated stubs, and the @grpc/grpc-js copy under it).
 * It implements Streams.Append and Streams.Read (stream reads, $all reads, $all subscriptions with
 * filters) over in-memory state. Everything else answers UNIMPLEMENTED, so the client falls back to the
 * plain Append call. It proves our wire mapping, not a real server's semantics.
 */
const clientRequire = createRequire(createRequire(import.meta.url).resolve('@eventstore/db-client'));
const grpc = clientRequire('@grpc/grpc-js');
const services = clientRequire('../generated/streams_grpc_pb.js');
const pb = clientRequire('../generated/streams_pb.js');
const shared = clientRequire('../generated/shared_pb.js');

export interface StoredEvent {
  id: string;
  stream: string;
  revision: bigint; // 0-based, as on the wire
  position: bigint;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  created: bigint; // .NET ticks
}

export type WireExpectation = { kind: 'revision'; revision: bigint } | { kind: 'no_stream' | 'any' | 'stream_exists' };

const TICKS_AT_EPOCH = 621_355_968_000_000_000n;
const u8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

export class EsdbStandIn {
  readonly streams = new Map<string, StoredEvent[]>();
  readonly log: StoredEvent[] = [];
  readonly deleted = new Set<string>();
  /** Every append's expectation exactly as it arrived on the wire, in order. */
  readonly appendRequests: { stream: string; expected: WireExpectation }[] = [];
  /** Runs when an append request has arrived and before it is checked: lets a test slip in another writer. */
  beforeAppend?: (stream: string) => void;
  /** Servers before 23.10 never say "caught up" on a subscription; set false to act like one. */
  sendCaughtUp = true;
  private nextPosition: bigint;
  private readonly live = new Set<(e: StoredEvent) => void>();
  private server: any;

  /** Positions start at `firstPosition` (raise it past 2^53 to test the unsafe-position guard). */
  constructor(firstPosition = 4096n) {
    this.nextPosition = firstPosition;
  }

  async start(): Promise<string> {
    this.server = new grpc.Server();
    this.server.addService(services.StreamsService, {
      append: (call: any, callback: any) => this.onAppend(call, callback),
      read: (call: any) => this.onRead(call),
    });
    const port: number = await new Promise((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))),
    );
    return `esdb://127.0.0.1:${port}?tls=false`;
  }

  async stop(): Promise<void> {
    this.live.clear();
    if (this.server) await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server?.forceShutdown();
  }

  /** Writes as another process would (no expectation, no hash chain): to make races and system events. */
  write(stream: string, type: string, data: unknown = {}, id: string = crypto.randomUUID()): StoredEvent {
    return this.push({ id, stream, type, contentType: 'application/json', data: u8(JSON.stringify(data)), customMetadata: new Uint8Array() });
  }

  private push(fields: Omit<StoredEvent, 'revision' | 'position' | 'created'>): StoredEvent {
    const events = this.streams.get(fields.stream) ?? [];
    const stream = fields.stream;
    const e: StoredEvent = { ...fields, revision: BigInt(events.length), position: this.nextPosition, created: BigInt(Date.now()) * 10_000n + TICKS_AT_EPOCH };
    this.nextPosition += 128n + BigInt(e.data.length); // positions are byte offsets: increasing, never dense
    events.push(e);
    this.streams.set(stream, events);
    this.log.push(e);
    for (const notify of this.live) notify(e);
    return e;
  }

  private onAppend(call: any, callback: any) {
    let stream = '';
    let expected: WireExpectation = { kind: 'any' };
    const proposed: { id: string; type: string; contentType: string; data: Uint8Array; meta: Uint8Array }[] = [];
    call.on('data', (req: any) => {
      if (req.hasOptions()) {
        const o = req.getOptions();
        stream = Buffer.from(o.getStreamIdentifier().getStreamName_asU8()).toString('utf8');
        if (o.hasRevision()) expected = { kind: 'revision', revision: BigInt(o.getRevision()) };
        else if (o.hasNoStream()) expected = { kind: 'no_stream' };
        else if (o.hasStreamExists()) expected = { kind: 'stream_exists' };
        else expected = { kind: 'any' };
      } else if (req.hasProposedMessage()) {
        const m = req.getProposedMessage();
        const meta = m.getMetadataMap();
        proposed.push({ id: m.getId().getString(), type: meta.get('type'), contentType: meta.get('content-type'), data: m.getData_asU8(), meta: m.getCustomMetadata_asU8() });
      }
    });
    call.on('end', () => {
      this.appendRequests.push({ stream, expected });
      this.beforeAppend?.(stream);
      if (this.deleted.has(stream)) return callback(streamDeleted(stream));
      const events = this.streams.get(stream) ?? [];
      const current = BigInt(events.length) - 1n;
      const resp = new pb.AppendResp();
      // Idempotent repeat (as the server does): the same ids already sit where they were first written.
      const at = expected.kind === 'revision' ? Number(expected.revision) + 1 : expected.kind === 'no_stream' ? 0 : -1;
      const repeat = at >= 0 && proposed.length > 0 && proposed.every((p, i) => events[at + i]?.id === p.id);
      const ok =
        expected.kind === 'any' ||
        (expected.kind === 'no_stream' && current === -1n) ||
        (expected.kind === 'stream_exists' && current >= 0n) ||
        (expected.kind === 'revision' && expected.revision === current);
      if (!ok && !repeat) {
        const w = new pb.AppendResp.WrongExpectedVersion();
        if (current >= 0n) w.setCurrentRevision(String(current));
        else w.setCurrentNoStream(new shared.Empty());
        if (expected.kind === 'revision') w.setExpectedRevision(String(expected.revision));
        else if (expected.kind === 'no_stream') w.setExpectedNoStream(new shared.Empty());
        else if (expected.kind === 'stream_exists') w.setExpectedStreamExists(new shared.Empty());
        else w.setExpectedAny(new shared.Empty());
        resp.setWrongExpectedVersion(w);
        return callback(null, resp);
      }
      const written = repeat
        ? events.slice(at, at + proposed.length)
        : proposed.map((p) => this.push({ id: p.id, stream, type: p.type, contentType: p.contentType, data: p.data, customMetadata: p.meta }));
      const last = written[written.length - 1];
      const success = new pb.AppendResp.Success();
      success.setCurrentRevision(String(last.revision));
      const position = new pb.AppendResp.Position();
      position.setCommitPosition(String(last.position));
      position.setPreparePosition(String(last.position));
      success.setPosition(position);
      resp.setSuccess(success);
      callback(null, resp);
    });
  }

  private onRead(call: any) {
    const o = call.request.getOptions();
    const backwards = o.getReadDirection() === 1;
    const count = o.hasCount() ? Number(BigInt(o.getCount())) : Number.MAX_SAFE_INTEGER;
    if (o.hasStream()) {
      const so = o.getStream();
      const name = Buffer.from(so.getStreamIdentifier().getStreamName_asU8()).toString('utf8');
      if (this.deleted.has(name)) return call.emit('error', streamDeleted(name));
      const events = this.streams.get(name);
      if (!events) {
        const nf = new pb.ReadResp.StreamNotFound();
        nf.setStreamIdentifier(so.getStreamIdentifier());
        call.write(new pb.ReadResp().setStreamNotFound(nf));
        return call.end();
      }
      const from = so.hasStart() ? 0n : so.hasEnd() ? BigInt(events.length - 1) : BigInt(so.getRevision());
      const picked = backwards ? events.filter((e) => e.revision <= from).reverse() : events.filter((e) => e.revision >= from);
      for (const e of picked.slice(0, count)) call.write(toReadResp(e));
      return call.end();
    }
    const ao = o.getAll();
    const from = ao.hasStart() ? 0n : ao.hasEnd() ? null : BigInt(ao.getPosition().getCommitPosition());
    const accept = filterOf(o);
    if (!o.hasSubscription()) {
      const picked = backwards
        ? this.log.filter((e) => from === null || e.position < from).reverse()
        : this.log.filter((e) => from !== null && e.position >= from); // forward reads of $all are inclusive
      for (const e of picked.filter(accept).slice(0, count)) call.write(toReadResp(e));
      return call.end();
    }
    // Subscription: confirmation, catch-up strictly after the position, caught-up, then live.
    const confirmation = new pb.ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(crypto.randomUUID());
    call.write(new pb.ReadResp().setConfirmation(confirmation));
    const after = from ?? this.nextPosition;
    for (const e of this.log) if (e.position > after && accept(e)) call.write(toReadResp(e));
    if (this.sendCaughtUp) call.write(new pb.ReadResp().setCaughtUp(new pb.ReadResp.CaughtUp()));
    const notify = (e: StoredEvent) => {
      if (accept(e)) call.write(toReadResp(e));
    };
    this.live.add(notify);
    call.on('cancelled', () => this.live.delete(notify));
    call.on('close', () => this.live.delete(notify));
  }
}

function filterOf(o: any): (e: StoredEvent) => boolean {
  if (!o.hasFilter()) return () => true;
  const f = o.getFilter();
  const onStream = f.hasStreamIdentifier();
  const expr = onStream ? f.getStreamIdentifier() : f.getEventType();
  const prefixes: string[] = expr.getPrefixList();
  const regex = expr.getRegex() ? new RegExp(expr.getRegex()) : undefined;
  return (e) => {
    const subject = onStream ? e.stream : e.type;
    if (prefixes.length && !prefixes.some((p) => subject.startsWith(p))) return false;
    return !regex || regex.test(subject);
  };
}

function toReadResp(e: StoredEvent): any {
  const rec = new pb.ReadResp.ReadEvent.RecordedEvent();
  rec.setId(new shared.UUID().setString(e.id));
  rec.setStreamIdentifier(new shared.StreamIdentifier().setStreamName(u8(e.stream)));
  rec.setStreamRevision(String(e.revision));
  rec.setCommitPosition(String(e.position));
  rec.setPreparePosition(String(e.position));
  const meta = rec.getMetadataMap();
  meta.set('type', e.type);
  meta.set('content-type', e.contentType);
  meta.set('created', String(e.created));
  rec.setCustomMetadata(e.customMetadata);
  rec.setData(e.data);
  const read = new pb.ReadResp.ReadEvent();
  read.setEvent(rec);
  read.setCommitPosition(String(e.position));
  return new pb.ReadResp().setEvent(read);
}

/** The server reports a deleted stream as a gRPC error whose trailers name the exception. */
function streamDeleted(stream: string): any {
  const metadata = new grpc.Metadata();
  metadata.set('exception', 'stream-deleted');
  metadata.set('stream-name', stream);
  return Object.assign(new Error(`Event stream '${stream}' is deleted.`), { code: grpc.status.FAILED_PRECONDITION, details: 'stream deleted', metadata });
}
