/** Errors of the event store port; adapters map their native errors to these. */

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  readonly streamId: string;
  readonly expected: string | number;
  readonly actual: number;
  constructor(streamId: string, expected: string | number, actual: number) {
    super(`stream ${streamId}: expected revision ${expected}, but the stream is at ${actual}`);
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export class StreamDeletedError extends Error {
  readonly code = 'STREAM_DELETED';
  readonly streamId: string;
  constructor(streamId: string) {
    super(`stream ${streamId} was deleted`);
    this.streamId = streamId;
  }
}

export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  readonly streamId: string;
  readonly eventId: string;
  constructor(streamId: string, eventId: string) {
    super(`event ${eventId} is already stored, but not as part of the same append to ${streamId}`);
    this.streamId = streamId;
    this.eventId = eventId;
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
}
