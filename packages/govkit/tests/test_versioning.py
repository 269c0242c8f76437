import pytest

from govkit.errors import Problem
from govkit.versioning import check_if_match


@pytest.mark.parametrize("header", [None, "*", ' "3" ', '"3"', 'W/"3"', "3"])
def test_absent_any_or_the_current_version_passes(header):
    check_if_match(header, 3)


@pytest.mark.parametrize("header", ['"2"', 'W/"4"', "", "abc", "3.0"])
def test_a_stale_or_malformed_version_is_412_naming_the_current_one(header):
    with pytest.raises(Problem) as exc:
        check_if_match(header, 3)
    p = exc.value
    assert p.status == 412 and "当前版本为 3" in p.detail
    assert p.body()["current_version"] == 3 and p.body()["violations"][0]["field"] == "If-Match"
