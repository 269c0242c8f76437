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


def _failed(title="", description="", items=()):
    return [d for d in rules.check_exclusions(title, description, list(items)) if not d.ok]


def _flagged(title="", description="", items=()):
    return rules.scope_flags(title, description, list(items))


# Each listed term of 第二条, refused with the article's qualifier and not refused without it.
@pytest.mark.parametrize(
    "refused,flagged,passed,exclusion",
    [
        # 办公使用的 …: with the office qualifier refused; bought without it flagged; mentioned in a system, passes
        ("办公电脑集中采购", "指挥中心采购电脑20台", "电脑端与移动端同步办理", "office_computer"),
        ("机关照相机采购", "采购数码相机5台", "照相机拍摄的现场照片上传系统", "photo_camera"),
        ("机关复印机更新", "复印机更新", "支持复印机扫描件导入", "copier"),
        ("机关打印机采购", "大厅自助打印机采购", "系统支持对接打印机", "printer"),
        ("办公用U盘及移动硬盘配置", "U盘及移动硬盘配置", "禁止移动存储介质接入内网", "mobile_storage"),
        ("办公手机采购", "执法手机采购", "掌上办事手机App", "phone"),
        ("办公软件正版化采购", "数据库软件产品采购", "协同办公软件开发", "software_product"),
        ("办公耗材采购", "打印耗材采购", "耗材管理系统", "consumables"),
        ("机关办公专用智能终端配置", "窗口专用智能终端采购", "智能终端接入管理平台", "smart_terminal"),
        (
            "Procurement of office printers",
            "Purchase of printers for the service hall",
            "Printer driver integration",
            "printer",
        ),
        (
            "Office laptops purchase",
            "Purchase of laptops for inspectors",
            "Laptop-friendly web portal",
            "office_computer",
        ),
    ],
)
def test_r2_2_office_equipment_needs_the_office_use_qualifier(refused, flagged, passed, exclusion):
    failed = _failed(refused)
    assert failed and all(d.rule == "R-2.2" for d in failed)
    assert exclusion in {d.details["exclusion"] for d in failed} and failed[0].details["field"] == "title"
    assert failed[0].as_dict()["article"] == "第二条"
    assert not _failed(flagged) and not _failed(passed)
    flags = _flagged(flagged)
    assert exclusion in {f.details["exclusion"] for f in flags}
    assert all(f.result == "flag" and f.details["basis"] == "practice" for f in flags)
    assert not [f for f in _flagged(passed) if f.details["exclusion"] == exclusion]


@pytest.mark.parametrize("title", ["政务微信公众号宣传运营", "局官方微博运营", "部门抖音号宣传推广"])
def test_r2_2_new_media_for_departmental_publicity_is_refused(title):
    assert {d.details["exclusion"] for d in _failed(title)} == {"publicity_new_media"}


def test_r2_2_new_media_without_publicity_is_flagged_or_in_scope():
    assert not _failed("微信公众号开通运营") and [f.details["exclusion"] for f in _flagged("微信公众号开通运营")] == [
        "publicity_new_media"
    ]
    for title in ("我的盐城微信小程序办事服务", "政务服务微信支付对接"):
        assert not _failed(title) and not _flagged(title)


@pytest.mark.parametrize(
    "title",
    [
        "职业技能实训教室建设",
        "中学多媒体教室建设",
        "职业培训实训室维护",
        "培训教室改造",
        "Multimedia classroom build-out",
    ],
)
def test_r2_2_training_and_multimedia_classrooms_are_refused(title):
    assert {d.details["exclusion"] for d in _failed(title)} == {"training_classroom"}


def test_r2_2_classroom_in_scope_readings():
    assert not _failed("在线教育资源平台") and not _failed("", "平台课程可在多媒体教室播放")
    assert [d.details["field"] for d in _failed("教育资源平台", "改造实训教室10间")] == ["description"]


@pytest.mark.parametrize(
    "title,items",
    [
        ("路口监控摄像机采购项目", []),
        ("视频监控联网平台", ["摄像头", "高清球机", "摄像机"]),
        ("雪亮工程视频监控扩容", ["网络摄像机 200台"]),
        ("Procurement of CCTV cameras for the video network", []),
    ],
)
def test_r2_2_surveillance_cameras_are_in_scope(title, items):
    """The article lists photo cameras (照相机), not 摄像头/摄像机: never refused, not even flagged."""
    assert not _failed(title, "采购摄像头3000路，接入视频专网", items)
    assert not _flagged(title, "采购摄像头3000路，接入视频专网", items)


@pytest.mark.parametrize(
    "title",
    [
        "掌上办事手机App",
        "视频监控联网平台",
        "市域治理数据共享平台",
        "政务服务网上办事大厅",
        "协同办公平台",
        "移动办公系统",
        "机关事务管理局公务用车管理系统",
        "Mobile phone app for citizens",
        "智能终端接入管理平台",
        "网络安全态势感知平台",
        "Office automation system",
    ],
)
def test_r2_2_information_systems_with_similar_words_pass(title):
    assert all(d.ok for d in rules.check_exclusions(title, "", [])) and not _flagged(title)


def test_r2_2_description_clauses():
    assert all(d.ok for d in rules.check_exclusions("政务服务平台", "系统支持对接打印机，接入摄像头3000路", []))
    assert not _flagged("政务服务平台", "系统支持对接打印机，接入摄像头3000路")
    failed = _failed("政务服务平台", "建设服务平台；为机关采购打印机20台")
    assert [(d.rule, d.details["field"], d.details["exclusion"]) for d in failed] == [
        ("R-2.2", "description", "printer")
    ]
    assert [f.details["field"] for f in _flagged("政务服务平台", "建设服务平台；采购打印机20台")] == ["description"]


def test_r2_2_items_are_purchase_lines():
    failed = _failed("数据共享平台", "", ["服务器", "办公电脑", "数据库软件"])
    assert [(d.details["field"], d.details["exclusion"]) for d in failed] == [("items.1.name", "office_computer")]
    assert not _failed("数据共享平台", "", ["服务器", "电脑", "摄像头"])
    assert [
        (f.details["field"], f.details["exclusion"]) for f in _flagged("数据共享平台", "", ["服务器", "电脑", "摄像头"])
    ] == [("items.1.name", "office_computer")]


def test_r12_1_cross_department_shape():
    assert rules.check_cross_department("A", "A", ["B"])[0].ok
    bad = rules.check_cross_department("A", "B", [])
    assert {d.details["field"] for d in bad} == {"cross_department.lead_org", "cross_department.participant_orgs"}
    assert not rules.check_cross_department("A", "A", ["A"])[0].ok
