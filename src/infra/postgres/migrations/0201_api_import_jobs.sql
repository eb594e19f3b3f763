-- Lead import jobs started over HTTP (POST /imports): one row per upload, updated as the import runs, so
-- importJob/importJobs answer after a restart too. The facts themselves are events on `import-<id>` streams.
CREATE TABLE api.import_jobs (
  import_id        text PRIMARY KEY,
  filename         text NOT NULL,
  campaign_id      text,
  department_id    text,
  started_by       text NOT NULL,
  started_at       timestamptz NOT NULL,
  started_position bigint NOT NULL,
  finished_at      timestamptz,
  file_path        text NOT NULL,
  phone_column     text,
  name_column      text,
  batch_id         text,
  rows_read        integer NOT NULL DEFAULT 0,
  imported         integer NOT NULL DEFAULT 0,
  duplicates       integer NOT NULL DEFAULT 0,
  already_imported integer NOT NULL DEFAULT 0,
  rejected_count   integer NOT NULL DEFAULT 0,
  rejected         jsonb NOT NULL DEFAULT '[]'::jsonb,
  status           text NOT NULL,
  error            text
);
CREATE INDEX api_import_jobs_started ON api.import_jobs (started_at DESC, import_id);
CREATE INDEX api_import_jobs_department ON api.import_jobs (department_id);
