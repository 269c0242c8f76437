import gateway.models  # noqa: F401  (registers the gateway's tables)
from govkit.db import Base
from govkit.migrations import run_env

run_env(Base.metadata)
