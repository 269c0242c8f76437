"""X-11.1 threshold splitting (pure), with the boundary amounts."""

from decimal import Decimal

from reserve.declarations import splitting as rules
from reserve.declarations.splitting import DeclRef

T = (Decimal("2000000.00"), Decimal("500000.00"))


def d(no, amount, title="智慧城管平台（一期）", org="ORG-A", year=2027, status="submitted", desc=""):
    return DeclRef(
        project_id=f"p{no}",
        declaration_no=f"SB-{year}-{no:04d}",
        org=org,
        library_year=year,
        title=title,
        description=desc,
        amount=Decimal(amount),
        status=status,
    )


def test_x11_1_similar_parts_reaching_the_threshold_are_flagged():
    flags = rules.splitting_groups([d(1, "1000000.00"), d(2, "1000000.00", "智慧城管平台（二期）")], T)
    assert [(f.rule, f.result, f.details["threshold"], f.details["total"]) for f in flags] == [
        ("X-11.1", "flag", "2000000.00", "2000000.00")
    ]
    assert rules.flags_for("p1", flags) and rules.flags_for("p2", flags)


def test_x11_1_one_cent_below_is_not_flagged():
    flags = rules.splitting_groups([d(1, "1000000.00"), d(2, "999999.99", "智慧城管平台（二期）")], T)
    assert [f.details["threshold"] for f in flags] == []


def test_x11_1_a_part_at_the_threshold_is_not_under_it():
    flags = rules.splitting_groups([d(1, "500000.00"), d(2, "400000.00", "智慧城管平台二期")], T)
    assert flags == []
    flags = rules.splitting_groups([d(1, "499999.99"), d(2, "0.01", "智慧城管平台二期")], T)
    assert [f.details["threshold"] for f in flags] == ["500000.00"]


def test_x11_1_dissimilar_other_unit_other_year_or_refused_not_flagged():
    assert rules.splitting_groups([d(1, "1500000.00"), d(2, "1500000.00", "市民热线数据中台")], T) == []
    assert rules.splitting_groups([d(1, "1500000.00"), d(2, "1500000.00", org="ORG-B")], T) == []
    assert rules.splitting_groups([d(1, "1500000.00"), d(2, "1500000.00", year=2028)], T) == []
    assert rules.splitting_groups([d(1, "1500000.00"), d(2, "1500000.00", status="refused")], T) == []


def test_similarity_ignores_phase_words():
    assert rules.similarity("智慧城管平台（一期）", "智慧城管平台（二期）") == 1.0
    assert rules.similarity("智慧城管平台", "市民热线数据中台") < 0.5
