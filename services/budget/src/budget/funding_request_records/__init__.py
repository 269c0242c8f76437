"""Funding requests' records (R-5.1) and their queries: below the R-26.1 gate and the funding plan,
which read them; the request use cases are `funding_requests`'."""
