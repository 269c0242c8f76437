"""GovPM reserve service."""
