-- The first schema: strategies, alerts and their story, orders, positions, the paper accounts,
-- the webhook log and the dedupe keys.

CREATE TABLE strategies (
    name                text PRIMARY KEY,
    enabled             boolean NOT NULL,
    mode                text NOT NULL CHECK (mode IN ('paper', 'live')),
    definition          jsonb NOT NULL,
    webhook_token_hash  bytea UNIQUE,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);

CREATE TABLE alerts (
    alert_id         uuid PRIMARY KEY,
    source           text NOT NULL,
    source_ip        text,
    strategy         text,
    sender_alert_id  text,
    status           text NOT NULL,
    reason           text,
    duplicate_of     uuid,
    dedupe_key       text,
    received_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    payload          jsonb NOT NULL,
    signal           jsonb
);
CREATE INDEX ix_alerts_received_at ON alerts (received_at DESC);
CREATE INDEX ix_alerts_strategy_received_at ON alerts (strategy, received_at DESC);
CREATE INDEX ix_alerts_status ON alerts (status) WHERE status IN ('received', 'ordered', 'partially_filled');

-- One row per dedupe key while its window lasts: claimed atomically by INSERT … ON CONFLICT.
CREATE TABLE dedupe_keys (
    key         text PRIMARY KEY,
    alert_id    uuid NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE TABLE risk_decisions (
    id          bigserial PRIMARY KEY,
    alert_id    uuid NOT NULL REFERENCES alerts (alert_id),
    decision    text NOT NULL,
    rule        text,
    reason      text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_risk_decisions_alert_id ON risk_decisions (alert_id);

CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    alert_id         uuid NOT NULL REFERENCES alerts (alert_id),
    leg              integer NOT NULL,
    broker           text NOT NULL,
    account          text NOT NULL,
    client_order_id  text NOT NULL UNIQUE,
    broker_order_id  text,
    symbol           text NOT NULL,
    side             text NOT NULL,
    intent           text NOT NULL,
    quantity         numeric NOT NULL,
    order_type       text NOT NULL,
    limit_price      numeric,
    stop_price       numeric,
    time_in_force    text NOT NULL,
    status           text NOT NULL,
    filled_quantity  numeric NOT NULL DEFAULT 0,
    average_price    numeric,
    fees             numeric NOT NULL DEFAULT 0,
    reason           text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX ix_orders_alert_id ON orders (alert_id);
CREATE INDEX ix_orders_account_symbol ON orders (broker, account, symbol, created_at DESC);

CREATE TABLE order_events (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    type        text NOT NULL,
    quantity    numeric,
    price       numeric,
    message     text,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_order_events_order_id ON order_events (order_id);

CREATE TABLE positions (
    broker         text NOT NULL,
    account        text NOT NULL,
    symbol         text NOT NULL,
    quantity       numeric NOT NULL,
    average_price  numeric NOT NULL,
    realized_pnl   numeric NOT NULL,
    last_price     numeric,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (broker, account, symbol)
);

CREATE TABLE paper_accounts (
    account       text PRIMARY KEY,
    cash          numeric NOT NULL,
    initial_cash  numeric NOT NULL,
    fees_paid     numeric NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE webhook_log (
    id           bigserial PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    route        text NOT NULL,
    source_ip    text,
    status       integer NOT NULL,
    reason       text,
    alert_id     uuid,
    strategy     text,
    payload      jsonb,
    count        integer NOT NULL DEFAULT 1
);
CREATE INDEX ix_webhook_log_received_at ON webhook_log (received_at DESC);
