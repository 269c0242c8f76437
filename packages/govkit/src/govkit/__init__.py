"""GovPM shared kernel."""
