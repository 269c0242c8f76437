"""Every table of the budget service (imported by migrations/env.py)."""

from govkit.documents.models import Document  # noqa: F401,E402
from govkit.kernel_models import ConsumerCursor, IdempotencyRecord, InboxEvent, OutboxEvent  # noqa: F401

from .contracts.models import Contract  # noqa: F401
from .disbursement_records.models import Disbursement, FundsReconciliation  # noqa: F401
from .estimate_reviews.models import EstimateReview  # noqa: F401
from .funding.models import OperationFundingDecision  # noqa: F401
from .funding_plans.models import FundingPlan, FundingPlanLine, FundingPlanVersion  # noqa: F401
from .funding_request_records.models import FundingRequest  # noqa: F401
from .projects.models import BudgetProject, BudgetProjectOrg  # noqa: F401
from .surplus.models import SurplusReturn  # noqa: F401
