/**
 * Outbound socket mode: the dialplan ran `socket host:port async full`, so the switch
 * connected to the engine. No auth; `connect` gets the channel as a flat CHANNEL_DATA block.
 */
import { park } from './calls.ts';
import type { Channel } from './channel.ts';
import type { Outcome, SimConnection } from './connection.ts';
import { commandReply, serializePlain } from './frames.ts';
import { MYEVENTS } from './subscriptions.ts';
import type { Switch } from './switch.ts';

export interface OutboundMode {
  uuid: string;
  async: boolean;
  full: boolean;
}

/** Without `full` only these commands exist (the LFLAG_OUTBOUND && !LFLAG_FULL check). */
const SINGLE_CHANNEL = new Set(['connect', 'myevents', 'getvar', 'resume', 'filter', 'divert_events', 'sendmsg', 'exit']);

/** The `connect` reply: URL-encoded event headers, protocol headers last, no Content-Length. */
export function channelData(sw: Switch, ch: Channel, mode: OutboundMode): string {
  const ev = sw.makeEvent('CHANNEL_DATA', [...ch.profile('Channel'), ...ch.headers('CHANNEL_DATA')]);
  const lines = serializePlain(ev).slice(0, -1);
  return `${lines}Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: ${mode.async ? 'async' : 'static'}\nControl: ${mode.full ? 'full' : 'single-channel'}\n\n`;
}

/** Outbound-only handling; undefined means "handle as on an inbound socket". */
export function outboundCommand(conn: SimConnection, sw: Switch, cmd: string, words: string[]): Outcome | undefined {
  const mode = conn.outbound!;
  if (!mode.full && !SINGLE_CHANNEL.has(cmd)) return { reply: commandReply('-ERR command not found') };
  const ch = sw.channels.get(mode.uuid);
  switch (cmd) {
    case 'connect':
      if (!ch) return { reply: commandReply('-ERR invalid session id') };
      return { reply: channelData(sw, ch, mode), after: () => mode.async && park(sw, ch) };
    case 'getvar':
      return { reply: commandReply(ch?.vars.get(words[0] ?? '') ?? '') };
    case 'resume':
      ch?.vars.set('socket_resume', 'true');
      return { reply: commandReply('+OK') };
    case 'myevents':
      if (conn.subs.boundUuid) return { reply: commandReply('-ERR aready enabled.') };
      conn.subs.boundUuid = mode.uuid;
      conn.subs.clear();
      conn.subs.add(MYEVENTS);
      conn.format = words.includes('json') ? 'json' : 'plain';
      return { reply: commandReply('+OK Events Enabled') };
    default:
      return undefined;
  }
}
