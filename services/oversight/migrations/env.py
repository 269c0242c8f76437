import oversight.models  # noqa: F401  (registers this service's tables)
from govkit.db import Base
from govkit.migrations import run_env

run_env(Base.metadata)
