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


def check_paste_size(text: str, what: str = "粘贴内容") -> None:
    size = len(text.encode("utf-8", "surrogatepass"))  # a lone surrogate (a broken paste) counts, never raises
    if size > MAX_PASTE_BYTES:
        raise TooLarge(f"{what}过大（{size / 1_000_000:.1f} MB），单次最多 1 MB，请分批粘贴或改用文件导入。")
