"""R-2.2 exclusion list: what is not a government information system, recognised in the declared
title, description and items (Chinese and English). Pure data and functions, no I/O.

How a term is matched (decided for this service, see the report):
- `items` are purchase lines: every term matches there;
- the `title`: unambiguous terms (打印机, 耗材, 多媒体教室 …) match anywhere; ambiguous ones
  (手机, 摄像机, 智能终端, 办公软件 …) only with a purchase/equipment verb in the same clause;
- the `description`: every term only with such a verb (or, for new media, a publicity verb) in the
  same clause — so "系统支持对接打印机" or "视频监控平台接入摄像头" stay in scope, while
  "采购打印机20台" is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# (code, 中文, patterns, ambiguous) — ambiguous terms need a context verb in the title.
_PHONE_NOT = r"(?!\s*(?:app|APP|App|端|客户端|应用|版|号|短信|信令|号码|实名|银行|支付|扫码|认证|验证))"
EXCLUSIONS: list[tuple[str, str, list[str], bool]] = [
    ("office_computer", "办公电脑", [r"办公电脑", r"办公计算机", r"台式机", r"台式电脑", r"笔记本电脑", r"便携式计算机",
                                   r"\bdesktop (?:pc|computers?)\b", r"\blaptops?\b", r"\boffice (?:pcs?|computers?)\b"], False),
    ("camera", "摄像头（设备采购）", [r"摄像头", r"摄像机", r"监控摄像", r"网络摄像", r"高清球机", r"\bcameras?\b", r"\bcctv\b"], True),
    ("copier", "复印机", [r"复印机", r"多功能一体机", r"\b(?:photo)?copiers?\b"], False),
    ("printer", "打印机", [r"打印机", r"\bprinters?\b"], False),
    ("mobile_storage", "移动存储", [r"移动存储", r"U盘", r"优盘", r"移动硬盘", r"\busb (?:flash )?(?:drives?|sticks?|disks?)\b",
                                  r"\bremovable storage\b", r"\bflash drives?\b"], False),
    ("phone", "手机", [r"手机" + _PHONE_NOT, r"移动电话", r"电话机", r"\b(?:mobile|cell|smart)\s?phones?\b(?!\s*app)"], True),
    ("packaged_software", "套装软件产品", [r"套装软件", r"盒装软件", r"商品化软件", r"通用软件产品", r"办公软件", r"正版软件",
                                       r"杀毒软件", r"\bpackaged software\b", r"\bboxed software\b",
                                       r"\boff-the-shelf software\b", r"\bsoftware licen[cs]es?\b"], False),
    ("consumables", "耗材", [r"耗材", r"硒鼓", r"墨盒", r"碳粉", r"色带", r"打印纸", r"\bconsumables?\b", r"\btoner\b",
                           r"\bink cartridges?\b"], False),
    ("smart_terminal", "专用智能终端", [r"智能终端", r"专用终端", r"自助终端", r"自助一体机", r"平板电脑", r"执法记录仪",
                                    r"\bpdas?\b", r"\btablets?\b", r"\bsmart terminals?\b", r"\bkiosks?\b"], True),
    ("publicity_new_media", "微博、微信等新媒体宣传", [r"微博", r"微信公众号", r"公众号", r"新媒体", r"抖音号", r"视频号",
                                              r"\bweibo\b", r"\bwechat official accounts?\b", r"\bsocial media\b",
                                              r"\bnew media\b"], False),
    ("training_classroom", "培训教室、多媒体教室", [r"培训教室", r"多媒体教室", r"智慧教室", r"录播教室", r"实训室",
                                          r"\btraining (?:rooms?|classrooms?)\b", r"\bmultimedia classrooms?\b"], False),
]

_BUY = (r"采购|购置|购买|购入|配备|配置|添置|更新|更换|租赁|新增|加装|\d+\s*(?:台|部|个|套|只|块|份)|"
        r"\b(?:purchas\w*|procur\w*|buy\w*|acquir\w*|replac\w*|equip\w*|supply|lease)\b")
CONTEXT = {
    "publicity_new_media": re.compile(r"宣传|运营|推广|发布|\b(?:publicity|promot\w*|operat\w*)\b", re.IGNORECASE),
    "training_classroom": re.compile(_BUY + r"|建设|改造|维护|装修|\b(?:build\w*|renovat\w*|maint\w*)\b", re.IGNORECASE),
    "packaged_software": re.compile(_BUY + r"|正版化|授权|\blicen[cs]\w*\b", re.IGNORECASE),
}
PURCHASE_CONTEXT = re.compile(_BUY, re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r"[。；;，,、\n！!？?]|\.\s")

_COMPILED = [(code, label, [re.compile(p, re.IGNORECASE) for p in patterns], ambiguous)
             for code, label, patterns, ambiguous in EXCLUSIONS]


@dataclass(frozen=True)
class ScopeHit:
    field: str
    exclusion: str  # code
    label: str
    term: str


def _scan_clause(text: str, field: str, *, need_context: bool, ambiguous_need_context: bool) -> list[ScopeHit]:
    hits = []
    for code, label, patterns, ambiguous in _COMPILED:
        if need_context or (ambiguous and ambiguous_need_context):
            if not CONTEXT.get(code, PURCHASE_CONTEXT).search(text):
                continue
        for p in patterns:
            m = p.search(text)
            if m:
                hits.append(ScopeHit(field, code, label, m.group(0)))
                break
    return hits


def scan(title: str, description: str = "", items: list[str] | None = None) -> list[ScopeHit]:
    """Every exclusion recognised in a declaration (empty list: nothing excluded found)."""
    hits: list[ScopeHit] = []
    hits += _scan_clause(title or "", "title", need_context=False, ambiguous_need_context=True)
    for clause in _CLAUSE_SPLIT.split(description or ""):
        if clause.strip():
            hits += _scan_clause(clause, "description", need_context=True, ambiguous_need_context=True)
    for i, name in enumerate(items or []):
        hits += _scan_clause(name or "", f"items.{i}.name", need_context=False, ambiguous_need_context=False)
    seen, out = set(), []
    for h in hits:  # one hit per (field, exclusion)
        if (h.field, h.exclusion) not in seen:
            seen.add((h.field, h.exclusion))
            out.append(h)
    return out
