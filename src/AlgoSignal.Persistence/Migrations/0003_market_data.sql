-- Market data: bars keyed by exchange, symbol, timeframe and time (upserts merge overlapping
-- fetches), one row per series with what the last fetch learnt, and the quality reports.

CREATE TABLE bars (
    exchange   text NOT NULL,
    symbol     text NOT NULL,
    timeframe  text NOT NULL,
    time       timestamptz NOT NULL,
    open       double precision NOT NULL,
    high       double precision NOT NULL,
    low        double precision NOT NULL,
    close      double precision NOT NULL,
    volume     double precision,
    PRIMARY KEY (exchange, symbol, timeframe, time)
);

CREATE TABLE bar_series (
    exchange       text NOT NULL,
    symbol         text NOT NULL,
    timeframe      text NOT NULL,
    fetched_at     timestamptz NOT NULL,
    has_volume     boolean NOT NULL,
    description    text,
    session        text,
    timezone       text,
    quality_score  double precision,
    quality        jsonb,
    PRIMARY KEY (exchange, symbol, timeframe)
);

CREATE TABLE quality_reports (
    id           bigserial PRIMARY KEY,
    exchange     text NOT NULL,
    symbol       text NOT NULL,
    timeframe    text NOT NULL,
    assessed_at  timestamptz NOT NULL,
    score        double precision NOT NULL,
    level        text NOT NULL,
    report       jsonb NOT NULL
);
CREATE INDEX ix_quality_reports_series ON quality_reports (exchange, symbol, timeframe, assessed_at DESC);
