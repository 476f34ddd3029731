-- Reconciliation: what each live broker reports compared with AlgoSignal's books. A drift stays open
-- (resolved_at NULL) while it is seen; one open row per broker, kind and symbol.
CREATE TABLE reconciliation_drifts (
    id               bigserial PRIMARY KEY,
    broker           text NOT NULL,
    kind             text NOT NULL,
    symbol           text NOT NULL,
    broker_quantity  numeric,
    our_quantity     numeric,
    detail           text NOT NULL,
    detected_at      timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    resolved_at      timestamptz
);
CREATE UNIQUE INDEX reconciliation_drifts_open ON reconciliation_drifts (broker, kind, symbol) WHERE resolved_at IS NULL;
CREATE INDEX reconciliation_drifts_recent ON reconciliation_drifts (detected_at DESC);

-- The last reconciliation of each broker and how it ended.
CREATE TABLE reconciliation_runs (
    broker    text PRIMARY KEY,
    ran_at    timestamptz NOT NULL,
    outcome   text NOT NULL,
    drifts    integer NOT NULL
);
