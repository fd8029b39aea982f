"""Triage's codes and their Chinese labels, in one place: question categories (in priority
order: trust and after-sales first), question-group statuses and comment sources."""
from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    AUTHENTICITY = "authenticity"
    AFTER_SALES = "after_sales"
    DELIVERY = "delivery"
    PRICE = "price"
    ORDER = "order"
    PRODUCT = "product"
    OTHER_QUESTION = "other_question"
    CHATTER = "chatter"


CATEGORIES = tuple(Category)  # priority order: a tie between categories goes to the earlier one
CATEGORY_LABELS: dict[str, str] = {
    Category.AUTHENTICITY: "真伪资质",
    Category.PRICE: "价格优惠",
    Category.DELIVERY: "配送自提",
    Category.AFTER_SALES: "售后",
    Category.PRODUCT: "商品详情",
    Category.ORDER: "下单接龙",
    Category.OTHER_QUESTION: "其他提问",
    Category.CHATTER: "闲聊",
}
QUESTION_CATEGORIES = tuple(c for c in CATEGORIES if c != Category.CHATTER)


class QuestionStatus(StrEnum):
    NEW = "new"
    TO_HOST = "to_host"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


STATUSES = tuple(QuestionStatus)
STATUS_LABELS: dict[str, str] = {
    QuestionStatus.NEW: "待处理",
    QuestionStatus.TO_HOST: "已转主播",
    QuestionStatus.ANSWERED: "已回复",
    QuestionStatus.DISMISSED: "已忽略",
}
OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.TO_HOST)  # still waiting for an answer
DONE_STATUSES = (QuestionStatus.ANSWERED, QuestionStatus.DISMISSED)

SOURCES = ("manual", "paste", "import", "pipe", "simulator")


def category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)
