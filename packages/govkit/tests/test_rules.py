import pytest

from govkit.rules import Decision, article_of, article_zh, basis_of, violation

EXPECTED = {
    1: "第一条",
    2: "第二条",
    3: "第三条",
    4: "第四条",
    5: "第五条",
    6: "第六条",
    7: "第七条",
    8: "第八条",
    9: "第九条",
    10: "第十条",
    11: "第十一条",
    12: "第十二条",
    13: "第十三条",
    14: "第十四条",
    15: "第十五条",
    16: "第十六条",
    17: "第十七条",
    18: "第十八条",
    19: "第十九条",
    20: "第二十条",
    21: "第二十一条",
    22: "第二十二条",
    23: "第二十三条",
    24: "第二十四条",
    25: "第二十五条",
    26: "第二十六条",
    27: "第二十七条",
    28: "第二十八条",
    29: "第二十九条",
    30: "第三十条",
    31: "第三十一条",
    32: "第三十二条",
    33: "第三十三条",
}


@pytest.mark.parametrize("n", range(1, 34))
def test_article_of_every_article(n):
    assert article_of(f"R-{n}.1") == EXPECTED[n]
    assert article_of(f"R-{n}.12") == EXPECTED[n]
    assert article_zh(n) == EXPECTED[n]


def test_practice_rules_cite_their_article_with_basis_practice():
    assert article_of("X-20.1") == "第二十条"
    assert basis_of("X-20.1") == "practice"
    assert basis_of("R-20.1") == "text"


@pytest.mark.parametrize("bad", ["", "R", "R-", "R-x.1", "26.1", "R-.1"])
def test_article_of_refuses_non_rule_ids(bad):
    with pytest.raises(ValueError):
        article_of(bad)


def test_decision_and_violation_shapes():
    d = Decision("R-26.1", "fail", "缺少概算评审报告（第二十六条）")
    assert not d.ok and Decision("R-26.1", "flag", "m").ok
    assert d.as_dict() == {
        "rule": "R-26.1",
        "article": "第二十六条",
        "result": "fail",
        "message": "缺少概算评审报告（第二十六条）",
        "basis": "text",
    }
    assert Decision("X-11.1", "flag", "m", {"score": 1}).as_dict()["details"] == {"score": 1}
    v = violation("X-13.1", "m", field="project_code")
    assert v == {"rule": "X-13.1", "article": "第十三条", "message": "m", "basis": "practice", "field": "project_code"}
