-- Read models live in schema "rm"; shadow rebuilds and as-of replays use their own schemas and are
-- moved in or dropped by the projection runtime. Table shapes belong to each projection's version,
-- so the runtime creates them, not migrations.
CREATE SCHEMA IF NOT EXISTS rm;

-- One row per projection: the last global position applied and the code version that applied it.
-- Written in the same transaction as the read-model rows, so both move together or not at all.
CREATE TABLE projection_checkpoints (
  name       text        PRIMARY KEY,
  version    integer     NOT NULL,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Temporary as-of schemas an auditor asked for, so they can be listed and dropped.
CREATE TABLE projection_asof (
  schema_name  text        PRIMARY KEY,
  projections  text[]      NOT NULL,
  up_to        jsonb       NOT NULL,
  position     bigint      NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Adds two flat jsonb objects of numbers key by key: counter rows are merged in one upsert per batch.
CREATE FUNCTION rm_add_counters(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(k, coalesce((a ->> k)::numeric, 0) + coalesce((b ->> k)::numeric, 0)), '{}'::jsonb)
  FROM (SELECT jsonb_object_keys(coalesce(a, '{}'::jsonb)) UNION SELECT jsonb_object_keys(coalesce(b, '{}'::jsonb))) AS keys(k)
$$;
