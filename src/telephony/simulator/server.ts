/**
 * The FreeSWITCH simulator: a TCP ESL server in front of the simulated switch,
 * with the hooks tests need (DTMF, inbound calls, faults, restart).
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { hangup, park, setCallState, setState } from './calls.ts';
import { Channel } from './channel.ts';
import { type Faults, SimConnection } from './connection.ts';
import { SHUTDOWN_BODY, disconnectNotice } from './frames.ts';
import { dtmf, hears } from './media.ts';
import { Switch, type SwitchOptions } from './switch.ts';

export interface SimulatorOptions extends Partial<SwitchOptions> {
  port?: number;
  host?: string;
  password?: string;
  /** Simulated mod_event_socket ACL: peers it refuses get text/rude-rejection. */
  allow?: (remoteAddress: string) => boolean;
  /** Drop sockets that have not authenticated after this long (FreeSWITCH: ~25 s). */
  authTimeoutMs?: number;
  maxQueue?: number;
  maxMissed?: number;
}

export class FreeSwitchSimulator {
  readonly switch: Switch;
  readonly faults: Faults = { dropNextApi: false, chunkSize: 0, duplicateEvents: false };
  readonly password: string;
  private readonly server: net.Server;
  private readonly connections = new Set<SimConnection>();
  private readonly host: string;
  private requestedPort: number;

  private constructor(options: SimulatorOptions) {
    this.switch = new Switch(options);
    this.password = options.password ?? 'ClueCon';
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.server = net.createServer((socket) => {
      socket.setNoDelay(true);
      if (options.allow && !options.allow(socket.remoteAddress ?? '')) {
        socket.end('Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n');
        return;
      }
      const conn = new SimConnection(this.switch, socket, this.password, this.faults, { authTimeoutMs: options.authTimeoutMs, maxQueue: options.maxQueue, maxMissed: options.maxMissed });
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
  }

  static async start(options: SimulatorOptions = {}): Promise<FreeSwitchSimulator> {
    const sim = new FreeSwitchSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.server.once('error', reject);
      sim.server.listen(sim.requestedPort, sim.host, () => resolve());
    });
    sim.requestedPort = sim.port;
    sim.switch.startHeartbeat();
    return sim;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get coreUuid(): string {
    return this.switch.coreUuid;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** A customer keys a digit (DTMF-Source RTP). */
  injectDtmf(uuid: string, digits: string): void {
    const ch = this.switch.channels.get(uuid);
    if (!ch) throw new Error(`no channel ${uuid}`);
    for (const d of digits) dtmf(this.switch, ch, d, 'RTP');
  }

  /** The far end hangs up (BYE from the customer or agent phone). */
  remoteHangup(uuid: string, cause = 'NORMAL_CLEARING'): void {
    const ch = this.switch.channels.get(uuid);
    if (ch) hangup(this.switch, ch, cause, 'recv_bye', 200);
  }

  /**
   * An inbound call arriving on the public profile; our dialplan (freeswitch/dialplan/public.xml) parks it, and
   * after a bridge it parks again, so the engine decides when the caller's line ends.
   */
  inboundCall(from: string, to: string, uuid: string = randomUUID()): string {
    const sw = this.switch;
    const ch = new Channel({ uuid, name: `sofia/external/${from}@127.0.0.1`, direction: 'inbound', createdAt: sw.clock.now(), callerNumber: from, callerName: from, destination: to });
    ch.vars.set('start_epoch', String(Math.floor(ch.createdAt / 1000)));
    ch.vars.set('inbound', 'true');
    ch.vars.set('hangup_after_bridge', 'false');
    ch.vars.set('park_after_bridge', 'true');
    sw.addChannel(ch);
    ch.state = 'CS_INIT';
    sw.fireChannel(ch, 'CHANNEL_CREATE');
    sw.fireChannel(ch, 'CHANNEL_STATE');
    setCallState(sw, ch, 'RINGING');
    park(sw, ch);
    return uuid;
  }

  /**
   * An inbound call whose dialplan runs `socket host:port [async] [full]`: the switch connects
   * to the engine's outbound-socket server. Resolves with the channel uuid once connected.
   */
  async outboundCall(opts: { host: string; port: number; from: string; to: string; async?: boolean; full?: boolean }): Promise<string> {
    const sw = this.switch;
    const uuid = randomUUID();
    const ch = new Channel({ uuid, name: `sofia/external/${opts.from}@127.0.0.1`, direction: 'inbound', createdAt: sw.clock.now(), callerNumber: opts.from, callerName: opts.from, destination: opts.to });
    ch.vars.set('start_epoch', String(Math.floor(ch.createdAt / 1000)));
    sw.addChannel(ch);
    ch.state = 'CS_INIT';
    sw.fireChannel(ch, 'CHANNEL_CREATE');
    setState(sw, ch, 'CS_EXECUTE');
    const socket = net.createConnection({ host: opts.host, port: opts.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const conn = new SimConnection(sw, socket, this.password, this.faults, { outbound: { uuid, async: opts.async ?? true, full: opts.full ?? true } });
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
    return uuid;
  }

  /** Whose audio `uuid` hears (bridged party, whispering or barging supervisors). */
  hears(uuid: string): string[] {
    return hears(this.switch, uuid);
  }

  /** Send raw bytes to every authenticated client (malformed frames and the like). */
  sendRaw(text: string): void {
    for (const c of this.connections) if (c.authed) c.sendRaw(text);
  }

  /** Drop every client connection, with a FIN or an RST. */
  dropConnections(kind: 'fin' | 'rst' = 'rst'): void {
    for (const c of this.connections) c.close(kind);
  }

  /** The switch process dies and comes back: new Core-UUID, no channels, every socket gone. */
  restart(): void {
    this.dropConnections('rst');
    this.switch.restart();
  }

  /** A clean shutdown notice, as FreeSWITCH sends when stopping. */
  shutdownNotice(): void {
    for (const c of this.connections) c.close('fin', disconnectNotice(SHUTDOWN_BODY));
  }

  async stop(): Promise<void> {
    this.switch.stop();
    this.dropConnections('rst');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
