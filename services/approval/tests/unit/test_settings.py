"""The provincial callback secret: shared alias, dev default refused outside development."""

import pytest
from pydantic import ValidationError

from approval.config import Settings
from govkit.settings import DEV_CALLBACK_SECRET

JWT = "x" * 40


def test_shared_alias_reads_govpm_provincial_callback_secret(monkeypatch):
    monkeypatch.setenv("GOVPM_PROVINCIAL_CALLBACK_SECRET", "from-env")
    monkeypatch.setenv("GOVPM_APPROVAL_PROVINCIAL_URL", "http://province.example")
    s = Settings()
    assert s.provincial_callback_secret == "from-env" and s.provincial_url == "http://province.example"


def test_dev_default_is_refused_outside_development(monkeypatch):
    monkeypatch.delenv("GOVPM_PROVINCIAL_CALLBACK_SECRET", raising=False)
    assert Settings(env="dev").provincial_callback_secret == DEV_CALLBACK_SECRET
    with pytest.raises(ValidationError, match="GOVPM_PROVINCIAL_CALLBACK_SECRET"):
        Settings(env="prod", jwt_secret=JWT)
    assert Settings(env="prod", jwt_secret=JWT, provincial_callback_secret="real").provincial_callback_secret == "real"
