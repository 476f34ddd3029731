-- Facts the risk rules need, kept where they are cheap to ask: the strategy of each order, the
-- realised P&L of each fill, the entries in the current position, and the global kill switch;
-- and what the paper broker needs for brackets (the parent's take-profit/stop-loss, child links).

ALTER TABLE orders ADD COLUMN strategy text;
ALTER TABLE orders ADD COLUMN realized_pnl numeric NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN parent_order_id bigint REFERENCES orders (id);
ALTER TABLE orders ADD COLUMN role text NOT NULL DEFAULT 'main';
ALTER TABLE orders ADD COLUMN take_profit numeric;
ALTER TABLE orders ADD COLUMN stop_loss numeric;
CREATE INDEX ix_orders_strategy_created_at ON orders (strategy, created_at DESC);
CREATE INDEX ix_orders_resting ON orders (broker, account, symbol) WHERE status = 'accepted';

ALTER TABLE positions ADD COLUMN entries integer NOT NULL DEFAULT 0;

CREATE TABLE kill_switch (
    id          integer PRIMARY KEY CHECK (id = 1),
    enabled     boolean NOT NULL,
    reason      text,
    updated_at  timestamptz NOT NULL
);
INSERT INTO kill_switch (id, enabled, reason, updated_at) VALUES (1, false, NULL, now());
