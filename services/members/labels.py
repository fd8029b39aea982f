"""Codes of the members capability and their Chinese labels (one owner): segments, alias kinds,
proposal statuses, and the numbers the segment rules use."""
from __future__ import annotations

from enum import StrEnum


class Segment(StrEnum):
    NEW = "new"
    RETURNING = "returning"
    KOC = "koc"
    SILENT = "silent"
    AFTER_SALES_WATCH = "after_sales_watch"


SEGMENTS: tuple[str, ...] = tuple(Segment)

SILENT_SHOWS = 3  # 沉默: no order in the community's last this many shows
KOC_FIRST_N = 10  # a "first entry" after a release: among the first this many entries of a deal
KOC_EARLY_SHOWS = 2  # suggested as KOC: early in at least this many ...
KOC_LAST_SHOWS = 3  # ... of their last this many shows
# Or "comments answered by others buying" (带动下单), in at least KOC_EARLY_SHOWS of their last
# KOC_LAST_SHOWS shows: a comment (any category) made at least KOC_LED_MINUTES after the latest
# release before it, followed within KOC_LED_MINUTES by entries of at least KOC_LED_BUYERS other
# buyers (distinct names) in that deal's chain, and by at least KOC_LED_LIFT times as many as in
# the KOC_LED_MINUTES before the comment (a chain already running by itself does not count: in a
# rush of 15 entries a minute, "more than before" is a coin flip; twice as many is not).
KOC_LED_MINUTES = 5
KOC_LED_BUYERS = 3
KOC_LED_LIFT = 2

SEGMENT_LABELS: dict[str, str] = {
    Segment.NEW: "新客",
    Segment.RETURNING: "复购",
    Segment.KOC: "KOC",
    Segment.SILENT: "沉默",
    Segment.AFTER_SALES_WATCH: "售后关注",
}

# The system's KOC suggestion (both rules), shown with the KOC segment and the suggestions.
KOC_SUGGEST_RULE = (
    f"最近 {KOC_LAST_SHOWS} 场下单中至少 {KOC_EARLY_SHOWS} 场在接龙发布后前 {KOC_FIRST_N} 个下单；"
    f"或最近 {KOC_LAST_SHOWS} 场中至少 {KOC_EARLY_SHOWS} 场有发言带动下单（发言时当前接龙已发布满 {KOC_LED_MINUTES} 分钟，"
    f"发言后 {KOC_LED_MINUTES} 分钟内至少 {KOC_LED_BUYERS} 位其他人接龙该商品，且至少是发言前 {KOC_LED_MINUTES} 分钟的 {KOC_LED_LIFT} 倍）"
)

# What 观看场次 counts (the members table's tooltip): services.members.tally's one rule.
WATCHED_RULE = "参与过的直播场次：直播间里看到过（直播工具记录）、评论过，或在当晚接龙下过单（下单的一场也算），所以不少于下单场次"

# The rule shown next to each segment (members page, 核心看板).
SEGMENT_RULES: dict[str, str] = {
    Segment.NEW: "今晚之前从未下单（首单在本场）",
    Segment.RETURNING: "在 2 场及以上直播中下过单",
    Segment.KOC: f"运营标记。系统建议：{KOC_SUGGEST_RULE}",
    Segment.SILENT: f"以前下过单，但社群最近 {SILENT_SHOWS} 场都没有下单",
    Segment.AFTER_SALES_WATCH: "登记过退款 / 赔付申请",
}


class AliasKind(StrEnum):
    NAME = "name"  # the name as written in the chain or the comments
    PHONE = "phone"  # 快团团 下单人 + "#" + phone tail
    VIEWER = "viewer"  # platform + ":" + platform user id (视频号 openid, 抖音 user id)
    # show id + "|" + name + "|" + address of one chain line: who the line is, decided once per show
    # by services.members.identity.who_is (same name at two buildings: two members)
    LINE = "line"


ALIAS_KIND_LABELS: dict[str, str] = {
    AliasKind.NAME: "昵称", AliasKind.PHONE: "下单人+尾号", AliasKind.VIEWER: "观众ID", AliasKind.LINE: "接龙行",
}


class ProposalStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


PROPOSAL_STATUS_LABELS: dict[str, str] = {
    ProposalStatus.OPEN: "待确认", ProposalStatus.CONFIRMED: "已合并", ProposalStatus.REJECTED: "已否决",
}

REASON_LABELS: dict[str, str] = {
    "building": "昵称相同，只差楼栋",
    "phone": "手机尾号相同，昵称不同",
    "manual": "运营手动合并",
    "namesake": "同名，一方没写楼栋（有几位同名成员，无法确定是哪一位）",
}


def member_label(name: str, building: str = "") -> str:
    """How a member is shown wherever a person must tell namesakes apart: 王芳（5栋） / 王芳（12栋）;
    the name alone when no building is known."""
    return f"{name}（{building}）" if building else name


def segment_label(code: str) -> str:
    return SEGMENT_LABELS.get(code, code)


def badge_text(codes: list[str], shows_bought: int = 0) -> str:
    """The badge line the queue shows: 新客 / 复购3场 / KOC / 售后关注 (沉默 too)."""
    out = []
    for c in codes:
        if c == Segment.RETURNING and shows_bought:
            out.append(f"复购{shows_bought}场")
        else:
            out.append(segment_label(c))
    return " · ".join(out)


def namesakes_text(n: int) -> str:
    """The badge of a name that is several people (a comment cannot say which): 同名2人·未关联."""
    return f"同名{n}人·未关联"
