"""GovPM acceptance service."""
