"""R-9.2: all three bureaus agree → admitted; any refusal → refused; each decides once."""

from reserve.special_additions import rules
from reserve.special_additions.rules import Vote


def test_r9_2_all_three_must_agree():
    assert rules.outcome([]) == "pending"
    assert rules.outcome([Vote("bdb", "agree"), Vote("finance", "agree")]) == "pending"
    assert (
        rules.outcome([Vote("bdb", "agree"), Vote("finance", "agree"), Vote("approval_bureau", "agree")]) == "admitted"
    )


def test_r9_2_any_refusal_refuses():
    assert rules.outcome([Vote("finance", "refuse")]) == "refused"
    assert (
        rules.outcome([Vote("bdb", "agree"), Vote("finance", "agree"), Vote("approval_bureau", "refuse")]) == "refused"
    )


def test_r9_2_awaiting_and_second_decision():
    votes = [Vote("finance", "agree")]
    assert rules.awaiting(votes) == ["bdb", "approval_bureau"]
    assert rules.check_vote("finance", votes).result == "fail"
    assert rules.check_vote("bdb", votes).ok


def test_r9_2_bureau_of_principal():
    assert rules.bureau_of({"finance"}, None) == "finance"
    assert rules.bureau_of({"finance", "bdb"}, None) is None
    assert rules.bureau_of({"finance", "bdb"}, "bdb") == "bdb"
    assert rules.bureau_of({"finance"}, "bdb") is None
