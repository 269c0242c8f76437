"""Every table of the approval service (imported by migrations/env.py)."""

from govkit.documents.models import Document  # noqa: F401,E402
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .adjustments.models import Adjustment  # noqa: F401
from .applications.models import Application, CheckRecord, Material, Reapproval, Review  # noqa: F401
from .provincial.models import CallbackSignature  # noqa: F401
from .registry.models import CatalogItem, RegistrySystem  # noqa: F401
