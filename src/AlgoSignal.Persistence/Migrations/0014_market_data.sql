-- Market data, second part.
-- quality_runs: per series, how many fetches in a row scored below good, so DataQualityDegraded is
-- raised once per episode (when the run reaches MarketData:Quality:MaxConsecutiveFailures) by whichever
-- worker makes that fetch; a good fetch resets the run.

CREATE TABLE quality_runs (
    exchange       text NOT NULL,
    symbol         text NOT NULL,
    timeframe      text NOT NULL,
    degraded_runs  integer NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (exchange, symbol, timeframe)
);

-- The paper broker follows the market: each paper fill records which price triggered it (an alert's
-- or a market price from the symbol's live feed) and when that price was seen.
ALTER TABLE order_events
    ADD COLUMN fill_trigger  text,
    ADD COLUMN trigger_price numeric,
    ADD COLUMN triggered_at  timestamptz;

-- One equity point per paper account and interval (Brokers:Paper:EquityIntervalSeconds): cash, the
-- positions at their last market price, and their sum. Several workers write the same bucket: upserted.
CREATE TABLE paper_equity (
    account         text NOT NULL,
    time            timestamptz NOT NULL,
    cash            numeric NOT NULL,
    position_value  numeric NOT NULL,
    unrealized_pnl  numeric NOT NULL,
    equity          numeric NOT NULL,
    PRIMARY KEY (account, time)
);
