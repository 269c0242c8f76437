from govkit.db import Base
from govkit.migrations import run_env

import reserve.models  # noqa: F401  (registers this service's tables)

run_env(Base.metadata)
