-- The alerts list filtered by symbol (GET /api/alerts?symbol=) reads the symbol from the stored payload,
-- without its exchange prefix and case-insensitively; this index serves that filter newest first.
CREATE INDEX ix_alerts_bare_symbol ON alerts (upper(regexp_replace(payload->>'symbol', '^[^:]*:', '')), received_at DESC);
