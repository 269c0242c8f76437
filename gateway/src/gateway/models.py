"""Every table of the gateway (imported by migrations/env.py). The kernel tables (outbox = the
gateway's hash-chained audit log, inbox of consumed events, catch-up cursors) come from
govkit.kernel_models."""

from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .apikeys.models import ApiKey  # noqa: F401
from .portals.models import PublicProject  # noqa: F401
from .webhooks.models import Delivery, WebhookSubscription  # noqa: F401
