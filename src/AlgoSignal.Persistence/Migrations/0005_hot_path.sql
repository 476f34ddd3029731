-- The alert hot path in fewer round trips.
-- Order ids are handed out in blocks of 100 (EF Core hi-lo on this same sequence), so an order, its
-- events and its bracket children are written in one batch instead of waiting for each generated id.
-- A plain nextval() (any other writer) still reserves a whole block, so the two never collide.
ALTER SEQUENCE orders_id_seq INCREMENT BY 100;

-- Live-broker orders still in flight: what the submitter and the poller look for on every pass,
-- without scanning the paper orders (the vast majority of the table).
CREATE INDEX ix_orders_live_open ON orders (id)
    WHERE broker <> 'paper' AND status IN ('submitting', 'cancelling', 'accepted', 'partially_filled', 'unknown');
