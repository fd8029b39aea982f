"""Talk to the room that reads like an offer and is none: the chat guards of services.promises.rules.

A host's line can carry a promise word and bind nobody: a story about the past, someone else's
terms, a game on stream, viewers invited to ask with nobody saying they will answer, a notice of the
next stream, or the listeners urged (你们一定要听好了) where a vow would be the team's. Each guard
lives here once; services.promises.rules applies them while it reads a line.
"""
from __future__ import annotations

import re

# A story about the past (当时, 后来, 有一次, 以前…的时候) promises nothing tonight; a purchase
# the host will pass on (回头我买了给你们寄点) is a plan for the listeners, not a story.
STORY = re.compile(r"当时|那时候?|那会儿?|后来|有一次|那天|小时候|买的时候|我买了(?![^，。！,!；;]{0,2}给(?:你|您|大家|各位))|花了我|我花了|(?:以前|之前|原来)[^，。！,!；;]{0,10}的时候")
# Last year's or last month's doings (去年的包邮活动很成功), unless tonight's term is said by them
# (今天的价格是去年双十一的价格).
LAST_TIME = re.compile(r"去年|前年|上个?月|上周|上礼拜")
NOW = re.compile(r"今天|今晚|现在|这次|本场|直播间")
# Talk about a term rather than an offer of it: someone else's word (那家店说坏了包赔, 别人都说包邮),
# a term as a topic (买一送一这种事), a decision put off (抽奖的明天再说), a chant (退退退).
HEARSAY = re.compile(
    r"(?:那家|别家|别人|人家|他们|她们|商家|店家|卖家|那个店|那个主播|网上|朋友|同事|"
    r"我(?:妈|爸|姐|哥|弟|妹|朋友|同事|老公|老婆|男朋友|女朋友))[^，。！,!；;]{0,4}(?:说|讲|都说|宣传)|我(?:家)?的(?:快递|包裹|外卖)|"
    r"(?<!比)(?:超市|菜市场|商场|别的店|别家)的|给(?:你们|大家|你)(?:唱|跳|表演)|这种(?:事|东西)|这类事|再说[吧呢了]?[。！!～~\s]*$|还没(?:定|想好)|看情况|不一定|退退"
)
# A game being played on stream (这局, 这把, 吃鸡, 上分): a vow about it is chat.
# A prize won in a draw (再赢免单, 赢取大奖) is no game (branch promises18).
GAME = re.compile(r"这局|这把|这一把|这盘|下一局|吃鸡|上分|输|赢(?!取|得?(?:免单|大奖|好礼|奖品|红包|礼品))")
# A bet on it (这把我要是输了我退钱, 赢了的话给你们送): a stake, even in shop words.
BET = re.compile(r"(?:要是|如果|万一|只要)[^，。！,!；;]{0,4}(?:输|赢)|(?:输|赢)了?的话")
# Viewers invited to ask or type (有什么问题都可以问我哦, 把你们的疑问打出来) with nobody saying they
# will answer (主播都会认真解答, 我来解答, 咱们一个个答): the room is asked to act, the team commits to nothing.
INVITE = re.compile(r"(?:可以|都可以|欢迎|尽管)[^，。！!,]{0,6}(?:问我|问主播|提问|打出来|打在|告诉我)|疑问打出来")
ANSWER = re.compile(r"解答|回答|回复|答[！!。～~\s]*$|讲清楚|帮|处理|解决|会|教|给[你您]")
# The next stream announced (下次开播第一时间通知你): a schedule, no service owed.
STREAM_NOTICE = re.compile(r"(?:开播|下次|以后|下一场|下场)[^，。！,!；;]{0,8}(?:第一时间|马上)?(?:通知|提醒)")
# A tip given to the host refunded (申请礼物退款, 打赏的钱平台会退给你): the platform's rule for tippers,
# nothing a buyer gets from the shop: the whole line is about the tip.
TIP_REFUND = re.compile(r"(?:礼物(?!盒|包装)|打赏|刷的|音浪|抖币)[^，。！,!；;]{0,4}退(?:款|钱|回|给)|退(?:还)?[^，。！,!；;]{0,2}(?:礼物(?!盒)|打赏)")
# The listeners urged (你们一定要听好了, 大家千万要抓紧, 宝宝们务必记得点关注): the 一定 is theirs to
# keep, not the team's, so it commits the team to nothing.
URGED = re.compile(r"(?:你们?|您|大家|各位|宝宝们?|宝贝们|家人们|姐妹们|朋友们)[^，。！,!；;]{0,2}(?:一定|千万|务必)(?:要|得)?")

# A vow about the show, not the goods (保证不让你们白来, 绝不让大家白等); and a purpose (为了确保安全, 以保证
# 大家都能抢到) whose 确保 / 保证 vouches for nothing: both are masked before a clause is read.
SHOW_VOW = re.compile(r"(?:保证|一定|绝对|肯定)?(?:不会?|绝不|决不)(?:让|叫)(?:你们?|您|大家|各位|宝宝们?|家人们|姐妹们|朋友们)"
                      r"[^，。！,!；;]{0,2}(?:白来|白等|白看|白蹲|白跑|无聊)")
PURPOSE = re.compile(r"(?:为了|以便|以)(?:确保|保证)")


def asides_masked(clause: str) -> str:
    """The clause with a vow about the show and a purpose's 确保 masked (the same length, for offsets)."""
    return PURPOSE.sub(lambda m: "＿" * len(m.group(0)), SHOW_VOW.sub(lambda m: "＿" * len(m.group(0)), clause))


def urged_masked(clause: str) -> str:
    """The clause with the listeners' 一定 / 千万 / 务必 masked, for the commitment test."""
    return URGED.sub(lambda m: "＿" * len(m.group(0)), clause)
