"""GovPM budget service."""
