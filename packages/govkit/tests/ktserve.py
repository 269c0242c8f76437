"""The test publisher as a real process (`python -m tests.ktserve DATABASE_URL PORT`), for tests that
kill it: its environment is the process's (e.g. GOVPM_FAULT_DIR)."""

import sys

import uvicorn

from .conftest import kt_settings
from .ktapp import publisher_app

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(publisher_app(kt_settings(url)), host="127.0.0.1", port=port, log_level="warning")
