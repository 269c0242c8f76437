"""Every table of the oversight service (imported by migrations/env.py)."""

from govkit.documents.models import Document  # noqa: F401,E402
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .construction.models import ConstructionFiling  # noqa: F401
from .findings.models import Finding  # noqa: F401
from .incidents.models import Incident  # noqa: F401
from .notices.models import ClockNotice  # noqa: F401
from .projects.models import ProjectParticipant, ProjectView, TimelineEntry  # noqa: F401
from .rebuilds.models import RebuildJob  # noqa: F401
from .rectifications.models import Rectification  # noqa: F401
from .reports.models import OverdueNotice, ProgressReport  # noqa: F401
from .sanctions.models import Sanction  # noqa: F401
from .supervision.models import SupervisedProject  # noqa: F401
