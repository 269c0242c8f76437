"""Every table of the acceptance service (imported by migrations/env.py)."""

from govkit.documents.models import Document  # noqa: F401,E402
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .archives.models import ArchiveEntry, ArchivesAcceptance  # noqa: F401
from .corrections.models import StepCorrection  # noqa: F401
from .evaluations.models import Evaluation, EvaluationOpinion, PostEvaluationCommission  # noqa: F401
from .extensions.models import Extension  # noqa: F401
from .notices.models import ClockNotice  # noqa: F401
from .prerequisites.models import SecrecyReview, SecurityAssessment  # noqa: F401
from .projects.models import AcceptanceProject  # noqa: F401
