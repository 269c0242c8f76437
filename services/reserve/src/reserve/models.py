"""Every table of the reserve service (imported by migrations/env.py)."""

from govkit.documents.models import Document  # noqa: F401,E402
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .declarations.models import Declaration, DeclarationCounter, DeclarationOrg  # noqa: F401
from .library_records.models import Library, LibrarySupplement  # noqa: F401
from .orgs.models import OrgJurisdiction  # noqa: F401
from .plans.models import PlanVersion  # noqa: F401
from .special_additions.models import SpecialAdditionDecision  # noqa: F401
from .windows.models import Window  # noqa: F401
