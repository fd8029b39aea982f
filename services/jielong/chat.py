"""WeChat's ways around a pasted chain: emoji codes, sender lines, and `+1` replies in a chat.

Pure functions, no database; services.jielong.parser calls them. The readings (the same as
tests/data/real/README.md):
- a WeChat emoji code (`[玫瑰]`, `[强]`, `[爱心]`) is typed by the member, never part of a nickname
  (nicknames hold Unicode emoji only): it is neither the name nor a note (`张三[玫瑰] 2份` → 张三);
- a message copied from a chat comes under its sender line (`张三 12:01`, `张三 2026-06-01 12:01`):
  a `+1` alone there is the sender's (`张三 12:01` / `+1` → 张三 +1);
- a `+1` without a number joins a chain when the lines around it continue the chain (our own
  c10: `李四 +1` under numbered lines); in a paste where members also order in chat words with no
  number (`王五要3份`, `孙七x2`, `李四不要了`), it is a reply in that chat like them, and only the
  numbered lines are entries.
"""
from __future__ import annotations

import re

# The codes WeChat writes for its own emoji when a message is copied (the default panel).
WECHAT_EMOJI = frozenset(
    "微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 酷 冷汗 抓狂 吐 偷笑 愉快 白眼 傲慢"
    " 饥饿 困 惊恐 流汗 憨笑 悠闲 奋斗 咒骂 疑问 嘘 晕 疯了 衰 骷髅 敲打 再见 擦汗 抠鼻 鼓掌 糗大了 坏笑 左哼哼"
    " 右哼哼 哈欠 鄙视 委屈 快哭了 阴险 亲亲 吓 可怜 菜刀 西瓜 啤酒 篮球 乒乓 咖啡 饭 猪头 玫瑰 凋谢 嘴唇 爱心"
    " 心碎 蛋糕 闪电 炸弹 刀 足球 瓢虫 便便 月亮 太阳 礼物 拥抱 强 弱 握手 胜利 抱拳 勾引 拳头 差劲 爱你 NO OK"
    " 爱情 飞吻 跳跳 发抖 怄火 转圈 磕头 回头 跳绳 投降 激动 乱舞 献吻 左太极 右太极 笑脸 生病 破涕为笑 吐舌 脸红"
    " 恐惧 失望 无语 嘿哈 捂脸 奸笑 机智 皱眉 耶 吃瓜 加油 汗 天啊 Emm 社会社会 旺柴 好的 打脸 哇 翻白眼 666"
    " 让我看看 叹气 苦涩 裂开 合十 庆祝 红包 發 福 烟花 爆竹 鞭炮 Party 礼花 蜡烛".split()
)
# `张三 12:01`, `张三 2026-06-01 12:01:22`, `张三 昨天 下午3:05`: who sent the message below.
_RE_SENDER = re.compile(
    r"^\s*(?P<name>[^\s\d:][^\s:]{0,19})\s+(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+|\d{1,2}月\d{1,2}日\s*|昨天\s*|前天\s*)?"
    r"(?:上午|下午|晚上|中午|凌晨)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*$"
)
# An order said in chat words with no number: `王五要3份`, `孙七x2`, `张三改成3份`, `李四不要了`.
_RE_CHAT_ORDER = re.compile(
    r"^\s*(?:[\u4e00-\u9fff]{2,4}|[A-Za-z][\w]{1,15})\s*"
    r"(?:(?:要|订|买|改成|改为|再来|加)\s*(?:\d|[一二两俩三四五六七八九十])|[xX×*]\s*\d|不要了|取消|退出)"
)


_RE_EMOJI_CODE = re.compile(r"\[([^\[\]\s]{1,4})\]")


def drop_emoji_codes(text: str) -> str:
    """The text without WeChat's emoji codes (`阿狗[玫瑰] 2+3` → `阿狗 2+3`): read by every path of the
    parser (plain lines, menu orders, meals) the same way; a code between two words leaves a space."""
    def one(m: re.Match) -> str:
        if not is_emoji_code(m.group(1)):
            return m.group(0)
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        return "" if not before.strip() or not after.strip() else " "
    return _RE_EMOJI_CODE.sub(one, text) if "[" in text else text


def is_emoji_code(inner: str) -> bool:
    """`玫瑰` of `[玫瑰]`: a WeChat emoji code, no name nor note."""
    return inner in WECHAT_EMOJI


def is_sender_line(line: str) -> bool:
    """`张三 12:01`: a sender line of a copied chat, no part of a chain."""
    return bool(_RE_SENDER.match(line))


def sender(lines: list[str], at: int) -> str:
    """The sender of the message on line `at` when the line above is a sender line, else ""."""
    for i in range(at - 1, max(-1, at - 3), -1):
        if lines[i].strip():
            m = _RE_SENDER.match(lines[i])
            return m.group("name") if m else ""
    return ""


def orders_in_chat(lines: list[str], covered: set[int], first: int) -> bool:
    """Whether members order in chat words below line `first` (lines no numbered piece covers)."""
    return any(i not in covered and _RE_CHAT_ORDER.match(lines[i]) and ":" not in lines[i]
               for i in range(first + 1, len(lines)))
