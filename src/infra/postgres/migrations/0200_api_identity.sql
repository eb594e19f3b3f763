-- The API's own read models: users, the department tree and teams (for login and scoping), revoked
-- sessions, and the recordings and prompts catalog. Projected from events by src/api/readModel/*.
CREATE SCHEMA IF NOT EXISTS api;

CREATE TABLE api.users (
  user_id       text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL,
  department_id text,
  team_id       text,
  disabled      boolean NOT NULL DEFAULT false,
  position      bigint NOT NULL
);
CREATE INDEX api_users_department ON api.users (department_id);
CREATE INDEX api_users_team ON api.users (team_id);

CREATE TABLE api.departments (
  department_id text PRIMARY KEY,
  name          text NOT NULL,
  parent_id     text,
  position      bigint NOT NULL
);

CREATE TABLE api.teams (
  team_id       text PRIMARY KEY,
  department_id text NOT NULL,
  name          text NOT NULL,
  leader_id     text,
  position      bigint NOT NULL
);

-- A logged-out token stays refused until it would have expired anyway.
CREATE TABLE api.revoked_sessions (
  session_id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Which agent handled a call: recordings and calls are scoped by it.
CREATE TABLE api.call_agents (
  call_id  text PRIMARY KEY,
  agent_id text NOT NULL
);

CREATE TABLE api.recordings (
  recording_id text PRIMARY KEY,
  call_id      text NOT NULL,
  file         text NOT NULL,
  sha256       text,
  duration_ms  bigint,
  started_at   timestamptz NOT NULL,
  stopped      boolean NOT NULL DEFAULT false,
  position     bigint NOT NULL
);
CREATE INDEX api_recordings_call ON api.recordings (call_id);

CREATE TABLE api.prompts (
  prompt_id   text PRIMARY KEY,
  name        text NOT NULL,
  file        text NOT NULL,
  sha256      text NOT NULL,
  bytes       bigint NOT NULL,
  uploaded_by text,
  uploaded_at timestamptz NOT NULL,
  position    bigint NOT NULL
);

CREATE TABLE api.checkpoint (
  name     text PRIMARY KEY,
  position bigint NOT NULL
);
