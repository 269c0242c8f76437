"""GovPM oversight service."""
