"""Consumed events → service calls (no logic of their own)."""

from govkit.inbox import Handler

HANDLERS: dict[str, Handler] = {}
