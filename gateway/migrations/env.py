from govkit.db import Base
from govkit.migrations import run_env

import gateway.models  # noqa: F401  (registers the gateway's tables)

run_env(Base.metadata)
