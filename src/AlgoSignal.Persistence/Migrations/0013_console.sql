-- The console: who last changed the kill switch (a label, never a key), and the sessions signed out
-- before their expiry, kept until it passes so that every ingress, also one started later, refuses them.
ALTER TABLE kill_switch ADD COLUMN updated_by text;

CREATE TABLE console_session_revocations (
    session_id  text PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX ix_console_session_revocations_expires_at ON console_session_revocations (expires_at);
