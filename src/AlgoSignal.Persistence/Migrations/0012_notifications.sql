-- Notifications: one row per (event, channel), written in the transaction of the decision that causes it
-- and delivered afterwards by the worker. The unique key makes a repeated decision add nothing, so no
-- channel hears of one event twice.
CREATE TABLE notifications (
    id               bigserial PRIMARY KEY,
    event            text NOT NULL,
    channel          text NOT NULL,
    dedupe_key       text NOT NULL,
    alert_id         uuid,
    strategy         text,
    symbol           text,
    text             text NOT NULL,
    data             jsonb NOT NULL,
    occurred_at      timestamptz NOT NULL,
    status           text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    folded_into      bigint,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz
);
CREATE UNIQUE INDEX notifications_once ON notifications (event, channel, dedupe_key);
CREATE INDEX notifications_due ON notifications (channel, id) WHERE status = 'pending';
CREATE INDEX notifications_sent ON notifications (channel, delivered_at) WHERE status = 'delivered';
CREATE INDEX notifications_recent ON notifications (created_at DESC);

-- Each channel's delivery state: the last success and failure, and how long it rests after failures.
CREATE TABLE notification_channels (
    channel           text PRIMARY KEY,
    last_success_at   timestamptz,
    last_failure_at   timestamptz,
    last_error        text,
    failures          integer NOT NULL DEFAULT 0,
    paused_until      timestamptz
);

-- What the worker last saw of each component the ingress cannot see itself (live brokers): state and
-- the time of the last success, for GET /api/v1/health.
CREATE TABLE component_status (
    component         text PRIMARY KEY,
    state             text NOT NULL,
    detail            text,
    last_success_at   timestamptz,
    last_failure_at   timestamptz,
    updated_at        timestamptz NOT NULL
);
