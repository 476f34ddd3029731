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
