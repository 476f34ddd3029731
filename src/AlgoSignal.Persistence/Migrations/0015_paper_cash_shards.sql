-- Paper cash moves land in one of several rows per account (a shard, chosen by the symbol traded), not in
-- the account's single row: every lane that fills paper orders used to queue on that one row's lock until
-- its commit, which capped the whole paper broker at one commit at a time. paper_accounts keeps the
-- opening cash; paper_account_balances is what an account holds now.
CREATE TABLE paper_cash_shards (
    account     text NOT NULL REFERENCES paper_accounts (account) ON DELETE CASCADE,
    shard       integer NOT NULL,
    cash_delta  numeric NOT NULL DEFAULT 0,
    fees_paid   numeric NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (account, shard)
);

CREATE VIEW paper_account_balances AS
SELECT a.account,
       a.cash + coalesce(s.cash_delta, 0) AS cash,
       a.initial_cash,
       a.fees_paid + coalesce(s.fees_paid, 0) AS fees_paid,
       a.created_at,
       greatest(a.updated_at, s.updated_at) AS updated_at
FROM paper_accounts a
LEFT JOIN (SELECT account, sum(cash_delta) AS cash_delta, sum(fees_paid) AS fees_paid, max(updated_at) AS updated_at
           FROM paper_cash_shards GROUP BY account) s ON s.account = a.account;
