"""R-2.1 scope and R-2.2 exclusions at intake (pure)."""
import pytest

from reserve.declarations import rules


@pytest.mark.parametrize("category", sorted(rules.CATEGORIES))
def test_r2_1_the_six_categories_pass(category):
    assert rules.check_category(category).result == "pass"


def test_r2_1_unknown_category_fails_naming_the_field():
    d = rules.check_category("smart_city_misc")
    assert (d.rule, d.result, d.details["field"]) == ("R-2.1", "fail", "category")


def test_r2_2_office_equipment_category_is_excluded():
    d = rules.check_category("office_equipment")
    assert (d.rule, d.result) == ("R-2.2", "fail")


def test_r2_1_only_municipal_budget_projects():
    assert rules.check_funding(True).ok
    d = rules.check_funding(False)
    assert (d.rule, d.result) == ("R-2.1", "fail")


@pytest.mark.parametrize("title,exclusion", [
    ("机关打印机采购", "printer"),
    ("复印机更新", "copier"),
    ("办公电脑集中采购", "office_computer"),
    ("执法手机采购", "phone"),
    ("路口监控摄像机采购项目", "camera"),
    ("U盘及移动硬盘配置", "mobile_storage"),
    ("办公耗材采购", "consumables"),
    ("套装软件采购", "packaged_software"),
    ("盒装软件正版化", "packaged_software"),
    ("窗口专用智能终端采购", "smart_terminal"),
    ("政务微信公众号宣传运营", "publicity_new_media"),
    ("局官方微博运营", "publicity_new_media"),
    ("职业技能培训教室改造", "training_classroom"),
    ("中学多媒体教室建设", "training_classroom"),
    ("Procurement of office printers", "printer"),
    ("Purchase of mobile phones for inspectors", "phone"),
    ("Multimedia classroom build-out", "training_classroom"),
])
def test_r2_2_excluded_titles_are_refused(title, exclusion):
    failed = [d for d in rules.check_exclusions(title, "", []) if not d.ok]
    assert failed and all(d.rule == "R-2.2" for d in failed)
    assert exclusion in {d.details["exclusion"] for d in failed}
    assert failed[0].details["field"] == "title"


@pytest.mark.parametrize("title", [
    "掌上办事手机App", "视频监控联网平台", "市域治理数据共享平台", "政务服务网上办事大厅",
    "Mobile phone app for citizens", "智能终端接入管理平台", "网络安全态势感知平台",
])
def test_r2_2_information_systems_with_similar_words_pass(title):
    assert all(d.ok for d in rules.check_exclusions(title, "", []))


def test_r2_2_description_needs_a_purchase_clause():
    assert all(d.ok for d in rules.check_exclusions("政务服务平台", "系统支持对接打印机，接入摄像头3000路", []))
    failed = [d for d in rules.check_exclusions("政务服务平台", "建设服务平台；采购打印机20台", []) if not d.ok]
    assert [(d.rule, d.details["field"], d.details["exclusion"]) for d in failed] == [("R-2.2", "description", "printer")]


def test_r2_2_items_are_purchase_lines():
    failed = [d for d in rules.check_exclusions("数据共享平台", "", ["服务器", "摄像头", "数据库软件"]) if not d.ok]
    assert [(d.details["field"], d.details["exclusion"]) for d in failed] == [("items.1.name", "camera")]
    assert all(d.ok for d in rules.check_exclusions("数据共享平台", "", ["服务器", "数据库软件"]))


def test_r12_1_cross_department_shape():
    assert rules.check_cross_department("A", "A", ["B"])[0].ok
    bad = rules.check_cross_department("A", "B", [])
    assert {d.details["field"] for d in bad} == {"cross_department.lead_org", "cross_department.participant_orgs"}
    assert not rules.check_cross_department("A", "A", ["A"])[0].ok
