"""Consumed events → service calls (no logic of their own)."""

from govkit.consumer import Handlers

HANDLERS: Handlers = {}
