"""Every table of the reserve service (imported by migrations/env.py)."""
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401
