"""A service process never loads the development tools (govkit.dev: the local stack, test helpers,
the AsyncAPI builder, the dev CLI): importing and creating each app leaves govkit.dev unimported."""

import subprocess
import sys

import pytest

APPS = ["reserve", "approval", "budget", "oversight", "acceptance", "gateway"]
PROBE = """
import sys
from {name}.main import create_app
create_app()
loaded = sorted(m for m in sys.modules if m == "govkit.dev" or m.startswith("govkit.dev."))
print(",".join(loaded))
"""


@pytest.mark.parametrize("name", APPS)
def test_app_does_not_import_dev_tools(name, tmp_path):
    env = {"GOVPM_DATA_DIR": str(tmp_path), "GOVPM_ENV": "test", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=name)], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{name} imports {out.stdout.strip()}"


def test_the_probe_sees_an_import_of_dev_tools(tmp_path):
    """The check above can fail: the same probe after importing govkit.dev.testing reports it."""
    probe = "import govkit.dev.testing\n" + PROBE.format(name="reserve")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "govkit.dev.testing" in out.stdout
