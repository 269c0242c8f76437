"""X-30.1: the acceptance clock notices pushed to the party that must act — the notice table (the
scans' dedupe), open a to-do, clear it. Below every noun that opens or clears one; the scans that
find running clocks are `clocks`'."""
