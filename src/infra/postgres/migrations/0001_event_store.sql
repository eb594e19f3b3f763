-- The event log. Appends are serialised by an advisory lock (see eventstore/postgres), so positions
-- become visible in increasing order and a reader that goes by position never skips a late commit.
CREATE TABLE events (
  position    bigserial PRIMARY KEY,
  event_id    uuid        NOT NULL UNIQUE,
  stream_id   text        NOT NULL,
  revision    integer     NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  metadata    jsonb       NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE INDEX events_type_position ON events (type, position);
CREATE INDEX events_stream_prefix ON events (stream_id text_pattern_ops, position);

-- One row per stream: its head. Verification compares it with the chain to catch a removed last event.
CREATE TABLE streams (
  stream_id     text    PRIMARY KEY,
  version       integer NOT NULL,
  last_hash     text    NOT NULL,
  last_position bigint  NOT NULL
);
