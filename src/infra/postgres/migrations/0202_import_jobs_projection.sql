-- Import job rows become a projection of the `import-<id>` events: each row remembers the position of the
-- last event folded into it, so replaying the streams (catch-up after a crash, a rebuild) applies each event once.
ALTER TABLE api.import_jobs ADD COLUMN last_position bigint NOT NULL DEFAULT 0;
