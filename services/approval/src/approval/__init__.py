"""GovPM approval service."""
