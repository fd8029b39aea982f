"""Typed errors of the domain. Each message is Chinese and fit to show to an operator."""
from __future__ import annotations


class DomainError(Exception):
    """Base class: str(exc) is a Chinese sentence for the UI."""


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad input. `field` names the form field (in Chinese) when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class FieldErrors(InvalidInput):
    """Several fields failed at once; `errors` maps field name → message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(f"{k}：{v}" for k, v in errors.items()), next(iter(errors), None))


class TooLarge(InvalidInput):
    pass


class InvalidState(DomainError):
    """The action does not fit the thing's current status (e.g. releasing twice)."""


class AuthError(DomainError):
    """Login refused. The message never says whether the name or the password was wrong."""


MAX_PASTE_BYTES = 1_000_000

# The largest count a person types: community members, 成团数, 限量, 每人限购, 前 N 名, 满 N 份,
# a 接龙序号. PostgreSQL's INTEGER columns stop at 2^31 - 1 and refused a bigger one as a
# DataError (SQLite stored it), so the services check against this one bound.
MAX_COUNT = 1_000_000


def count_error(value: object, low: int = 1) -> str | None:
    """None for a whole number (not a bool) within low..MAX_COUNT, else what is wrong with it
    (a fragment for a form's field: 须为不小于 1 的整数 / 不能超过 1000000)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        return f"须为不小于 {low} 的整数"
    if value > MAX_COUNT:
        return f"不能超过 {MAX_COUNT}"
    return None


def check_count(value: object, field: str, low: int = 1) -> None:
    """InvalidInput(field=…) naming the field unless `value` is a whole number within low..MAX_COUNT."""
    if (problem := count_error(value, low)) is not None:
        raise InvalidInput(f"{field}{problem}。", field)


def check_paste_size(text: str, what: str = "粘贴内容") -> None:
    size = len(text.encode("utf-8", "surrogatepass"))  # a lone surrogate (a broken paste) counts, never raises
    if size > MAX_PASTE_BYTES:
        raise TooLarge(f"{what}过大（{size / 1_000_000:.1f} MB），单次最多 1 MB，请分批粘贴或改用文件导入。")
