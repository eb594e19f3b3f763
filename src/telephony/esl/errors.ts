/** Errors the ESL adapter rejects with; callers branch on the class, not the message. */

/** The socket closed (or was torn down) while the operation was in flight; its outcome is unknown. */
export class EslDisconnectedError extends Error {
  constructor(what: string) {
    super(`ESL connection lost during ${what}`);
    this.name = 'EslDisconnectedError';
  }
}

export class EslTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`ESL ${what} timed out after ${ms} ms`);
    this.name = 'EslTimeoutError';
  }
}

/** The switch answered with -ERR (or -USAGE). `reply` is its text without the trailing newline. */
export class EslCommandError extends Error {
  readonly reply: string;
  constructor(command: string, reply: string) {
    super(`${command}: ${reply}`);
    this.name = 'EslCommandError';
    this.reply = reply;
  }
}

export class EslAuthError extends Error {
  constructor() {
    super('ESL authentication failed (check ESL_PASSWORD)');
    this.name = 'EslAuthError';
  }
}

/** An originate ended without a call; `hangupCause` is FreeSWITCH's cause, e.g. USER_BUSY or NO_ANSWER. */
export class OriginateFailedError extends Error {
  readonly callId: string;
  readonly hangupCause: string;
  constructor(callId: string, hangupCause: string) {
    super(`originate ${callId} failed: ${hangupCause}`);
    this.name = 'OriginateFailedError';
    this.callId = callId;
    this.hangupCause = hangupCause;
  }
}
