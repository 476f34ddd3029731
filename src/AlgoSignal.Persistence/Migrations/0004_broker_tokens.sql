-- OAuth refresh tokens that a broker rotated (TradeStation): kept so a restart uses the live one.
CREATE TABLE broker_tokens (
    broker         text PRIMARY KEY,
    refresh_token  text NOT NULL,
    updated_at     timestamptz NOT NULL
);
