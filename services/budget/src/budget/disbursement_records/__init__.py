"""The disbursement ledger's records (payments, returns, reconciliations of reported funds) and
their queries: below the R-26.1 gate and the funding plan, which read them; the payment use case is
`disbursements`'."""
