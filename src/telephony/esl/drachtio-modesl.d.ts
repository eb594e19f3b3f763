/** The slice of drachtio-modesl 1.3.x the adapter uses. Nothing else may import the library. */
declare module 'drachtio-modesl' {
  export interface EslHeader {
    name: string;
    value: string;
  }

  export class Event {
    headers: EslHeader[];
    body: string;
    type: string;
    getHeader(name: string): string | null;
    getBody(): string;
    getType(): string;
  }

  export interface EslParser {
    _parseHeaderText(text: string): Record<string, string | number>;
    _parseEvent(headers: Record<string, unknown>, body?: string): void;
  }

  export class Connection {
    constructor(host: string, port: number, password: string, ready?: () => void);
    socket: import('node:net').Socket | null;
    parser?: EslParser;
    closing?: boolean;
    reconnectOpts: { maxAttempts?: number; retryMaxDelay?: number | null };
    reconnectVars: { attempts?: number; retryTimer?: unknown };
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
    sendRecv(command: string, args: Record<string, string> | null, cb: (reply: Event) => void): void;
    api(command: string, cb: (reply: Event) => void): void;
    disconnect(): void;
  }

  /** The frame parser; it reads 'data' from whatever emitter it is given. */
  export class Parser {
    constructor(socket: import('node:events').EventEmitter);
    _parseHeaderText(text: string): Record<string, string | number>;
    _parseEvent(headers: Record<string, unknown>, body?: string): void;
    on(event: 'esl::event', listener: (ev: Event, headers: Record<string, unknown>, body: string) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  const esl: { Connection: typeof Connection; Event: typeof Event; Parser: typeof Parser };
  export default esl;
}
