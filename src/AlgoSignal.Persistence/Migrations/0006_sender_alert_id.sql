-- An alert can be looked up by the sender's own alert_id (newest first), not only by AlgoSignal's id.
CREATE INDEX ix_alerts_sender_alert_id ON alerts (sender_alert_id, received_at DESC) WHERE sender_alert_id IS NOT NULL;
