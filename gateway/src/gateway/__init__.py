"""GovPM gateway: one door for outside callers."""
