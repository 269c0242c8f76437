"""R-2.2 (第二条) exclusion list, read as the article writes it. Pure data and functions, no I/O.

第二条: "办公使用的电脑、照相机、复印机、打印机、移动存储设备、手机、软件产品、耗材、专用智能终端设备，
用于部门宣传的微博、微信等新媒体，以及教育、职业培训领域的各类实训教室、多媒体教室建设和维护不在……审核审批范围内。"

Three groups, each with the article's own qualifier:
- office equipment — the nine devices *for office use* (办公使用的). Refused when the same clause says
  so (办公电脑, 机关打印机, 办公用U盘, "office printers"); a listed device without that qualifier — in a
  purchase line (`items`), or bought in the title or a description clause — only resembles the
  list: it is flagged for the reviewer, not refused (a 政务服务大厅's self-service printer, a law
  enforcement terminal, a system's database licence may well belong to an information system);
- new media *for departmental publicity* (用于部门宣传的): refused with a publicity word (宣传, 推广,
  官方微博 …); an account merely opened or run is flagged; a WeChat mini-program that serves the
  public is an information system and passes;
- training rooms and multimedia classrooms in education and vocational training (实训教室, 多媒体教室 …),
  their building and maintenance: refused.

Surveillance cameras (摄像头, 摄像机, 球机) are not in the list — the article names photo cameras
(照相机) only — so a video-network project's cameras are in scope and never matched.
"Basis: practice" readings, returned with each hit: the office qualifier is recognised from 办公/机关
in the same clause (a unit rarely writes "办公使用的" verbatim); without it the device is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OFFICE_USE = "office_use"
PUBLICITY = "publicity"
CLASSROOM = "classroom"

_PHONE_NOT = r"(?!\s*(?:app|端|客户端|应用|小程序|版|号|短信|信令|号码|实名|银行|支付|扫码|认证|验证|定位|信号))"
_SOFTWARE_NOT_DEV = r"(?!\s*(?:开发|定制|研发|系统))"
# (code, the article's word, group, patterns)
EXCLUSIONS: list[tuple[str, str, str, list[str]]] = [
    (
        "office_computer",
        "电脑",
        OFFICE_USE,
        [
            r"电脑",
            r"台式机",
            r"笔记本(?!\s*(?:模块|功能))",
            r"台式计算机",
            r"便携式计算机",
            r"办公计算机",
            r"\bdesktop (?:pcs?|computers?)\b",
            r"\blaptops?\b",
            r"\b(?:pcs|computers)\b",
        ],
    ),
    (
        "photo_camera",
        "照相机",
        OFFICE_USE,
        [
            r"照相机",
            r"数码相机",
            r"单反相机",
            r"单反",
            r"(?<![摄照])相机",
            r"\b(?:photo|digital|dslr)\s+cameras?\b",
            r"\bdslrs?\b",
        ],
    ),
    ("copier", "复印机", OFFICE_USE, [r"复印机", r"多功能一体机", r"\b(?:photo)?copiers?\b"]),
    ("printer", "打印机", OFFICE_USE, [r"打印机", r"\bprinters?\b"]),
    (
        "mobile_storage",
        "移动存储设备",
        OFFICE_USE,
        [
            r"移动存储",
            r"U盘",
            r"优盘",
            r"移动硬盘",
            r"\busb (?:flash )?(?:drives?|sticks?|disks?)\b",
            r"\bremovable storage\b",
            r"\bflash drives?\b",
        ],
    ),
    (
        "phone",
        "手机",
        OFFICE_USE,
        [r"手机" + _PHONE_NOT, r"移动电话", r"电话机", r"\b(?:mobile|cell|smart)\s?phones?\b(?!\s*apps?\b)"],
    ),
    (
        "software_product",
        "软件产品",
        OFFICE_USE,
        [
            r"软件产品",
            r"套装软件",
            r"盒装软件",
            r"商品化软件",
            r"正版软件",
            r"杀毒软件",
            r"办公软件" + _SOFTWARE_NOT_DEV,
            r"\bpackaged software\b",
            r"\bboxed software\b",
            r"\boff-the-shelf software\b",
            r"\bsoftware (?:products?|licen[cs]es?)\b",
        ],
    ),
    (
        "consumables",
        "耗材",
        OFFICE_USE,
        [
            r"耗材",
            r"硒鼓",
            r"墨盒",
            r"碳粉",
            r"色带",
            r"打印纸",
            r"\bconsumables?\b",
            r"\btoner\b",
            r"\bink cartridges?\b",
        ],
    ),
    (
        "smart_terminal",
        "专用智能终端设备",
        OFFICE_USE,
        [
            r"智能终端",
            r"专用终端",
            r"自助终端",
            r"自助一体机",
            r"平板(?:电脑)?",
            r"执法记录仪",
            r"\bpdas?\b",
            r"\btablets?\b",
            r"\bsmart terminals?\b",
            r"\bkiosks?\b",
        ],
    ),
    (
        "publicity_new_media",
        "微博、微信等新媒体",
        PUBLICITY,
        [
            r"微博",
            r"微信公众号",
            r"公众号",
            r"微信",
            r"新媒体",
            r"抖音",
            r"视频号",
            r"\bweibo\b",
            r"\bwechat\b",
            r"\bsocial media\b",
            r"\bnew media\b",
        ],
    ),
    (
        "training_classroom",
        "实训教室、多媒体教室",
        CLASSROOM,
        [
            r"实训教室",
            r"实训室",
            r"培训教室",
            r"多媒体教室",
            r"智慧教室",
            r"录播教室",
            r"\btraining (?:rooms?|classrooms?)\b",
            r"\bmultimedia classrooms?\b",
        ],
    ),
]

# "for office use": 办公 qualifying a thing (not an office *system*: 协同办公平台, 移动办公, 办公自动化 …),
# 机关 (not 机关事务管理局), "for office use" / "office <device>".
OFFICE_MARKER = re.compile(
    r"(?<!协同)(?<!移动)(?<!网上)办公(?!系统|平台|自动化|业务|应用|服务|网|OA|oa|软件开发|软件定制)"
    r"|机关(?!事务)|\bfor office use\b|\boffice\s+(?!automation\b|systems?\b|platforms?\b|apps?\b)",
    re.IGNORECASE,
)
PUBLICITY_MARKER = re.compile(
    r"宣传|推广|官方(?:微博|微信|账号|公众号|抖音)|政务微博|形象|"
    r"\b(?:publicity|promot\w*|official (?:weibo|accounts?))\b",
    re.IGNORECASE,
)
MEDIA_OPERATION = re.compile(r"运营|运维|开通|注册|账号|粉丝|\b(?:operat\w*|accounts?)\b", re.IGNORECASE)
_BUY = (
    r"采购|购置|购买|购入|配备|配置|添置|更新|更换|租赁|新增|加装|\d+\s*(?:台|部|个|套|只|块|份|批)|"
    r"\b(?:purchas\w*|procur\w*|buy\w*|acquir\w*|replac\w*|equip\w*|supply|lease)\b"
)
PURCHASE = re.compile(_BUY, re.IGNORECASE)
CLASSROOM_WORK = re.compile(
    _BUY + r"|建设|改造|维护|装修|升级|\b(?:build\w*|renovat\w*|maint\w*|upgrad\w*)\b", re.IGNORECASE
)
_CLAUSE_SPLIT = re.compile(r"[。；;，,、\n！!？?]|\.\s")

_COMPILED = [
    (code, word, group, [re.compile(p, re.IGNORECASE) for p in patterns]) for code, word, group, patterns in EXCLUSIONS
]


@dataclass(frozen=True)
class ScopeHit:
    field: str
    exclusion: str  # code
    label: str  # the article's word
    term: str  # what was found
    outcome: str  # fail (refused) | flag (for the reviewer)
    qualifier: str | None = None  # the qualifier found (办公…, 宣传…), if any

    @property
    def basis(self) -> str:
        """A refusal of an office device rests on our reading of 办公使用的 from 办公/机关 (practice);
        the rest is the article's text."""
        return "practice" if self.outcome == "flag" or self.qualifier_is_read else "text"

    @property
    def qualifier_is_read(self) -> bool:
        return (
            self.outcome == "fail"
            and self.exclusion in _OFFICE_CODES
            and self.qualifier is not None
            and "办公使用" not in self.qualifier
            and "for office use" not in self.qualifier.lower()
        )


_OFFICE_CODES = {code for code, _, group, _ in EXCLUSIONS if group == OFFICE_USE}


def _first(patterns: list[re.Pattern], text: str) -> str | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m.group(0)
    return None


def classify(text: str, field: str) -> list[ScopeHit]:
    """Every listed thing named in one clause (a title, a description clause, a purchase line)."""
    line = field.startswith("items.")
    hits: list[ScopeHit] = []
    office = OFFICE_MARKER.search(text)
    bought = line or bool(PURCHASE.search(text))
    for code, word, group, patterns in _COMPILED:
        term = _first(patterns, text)
        if term is None:
            continue
        if group == OFFICE_USE:
            if office:
                hits.append(ScopeHit(field, code, word, term, "fail", office.group(0)))
            elif bought:
                hits.append(ScopeHit(field, code, word, term, "flag"))
        elif group == PUBLICITY:
            publicity = PUBLICITY_MARKER.search(text)
            if publicity:
                hits.append(ScopeHit(field, code, word, term, "fail", publicity.group(0)))
            elif MEDIA_OPERATION.search(text):
                hits.append(ScopeHit(field, code, word, term, "flag"))
        elif group == CLASSROOM and (field != "description" or CLASSROOM_WORK.search(text)):
            hits.append(ScopeHit(field, code, word, term, "fail"))
    return hits


def scan(title: str, description: str = "", items: list[str] | None = None) -> list[ScopeHit]:
    """Every listed thing recognised in a declaration, refused (`fail`) or flagged (`flag`)."""
    hits: list[ScopeHit] = []
    hits += classify(title or "", "title")
    for clause in _CLAUSE_SPLIT.split(description or ""):
        if clause.strip():
            hits += classify(clause, "description")
    for i, name in enumerate(items or []):
        hits += classify(name or "", f"items.{i}.name")
    seen: set[tuple[str, str]] = set()
    out: list[ScopeHit] = []
    for h in sorted(hits, key=lambda h: h.outcome != "fail"):  # a refusal wins over a flag of the same field
        if (h.field, h.exclusion) not in seen:
            seen.add((h.field, h.exclusion))
            out.append(h)
    order = {id(h): i for i, h in enumerate(hits)}
    return sorted(out, key=lambda h: order[id(h)])
