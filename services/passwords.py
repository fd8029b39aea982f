"""Which passwords are refused: too short, too long, or among the first an attacker would try.

The hint points to a passphrase (a short sentence only the operator would write), which is
both easier to remember and much harder to guess than a word with digits.
"""
from __future__ import annotations

from services.errors import InvalidInput

MIN_PASSWORD = 8
MAX_PASSWORD = 256
HINT = "建议用一句只有你知道的短句，例如「店门口的桂花开了两棵」。"

# The top of public leaked-password lists (and their Chinese favourites), lower-cased.
COMMON = frozenset(
    """
    12345678 123456789 1234567890 0123456789 87654321 98765432 11223344 12341234 12344321 123123123
    11111111 00000000 88888888 66666666 99999999 55555555 22222222 12121212 11112222 13141314
    5201314520 52013140 1314520520 woaini1314 woaini520 iloveyou iloveyou1 password password1 password123
    passw0rd p@ssw0rd p@ssword qwertyui qwerty123 qwertyuiop 1qaz2wsx 1q2w3e4r 1q2w3e4r5t qazwsxedc
    zxcvbnm1 zxcvbnm123 asdfghjk asdf1234 abcd1234 abc12345 abc123456 a1234567 a12345678 aa123456
    aaaaaaaa abcdefgh admin123 admin888 admin1234 administrator root1234 test1234 welcome1 letmein1
    sunshine princess football baseball superman 1234qwer qwer1234 q1w2e3r4 woaini123 changeme
    """.split()
)

_SEQUENCES = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def check(password: str, name: str = "") -> None:
    """InvalidInput (field 密码) when the password is refused, with the passphrase hint."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位。{HINT}", "密码")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"密码不能超过 {MAX_PASSWORD} 位。", "密码")
    if is_weak(password, name):
        raise InvalidInput(f"这个密码太常见，很容易被猜中。{HINT}", "密码")


def is_weak(password: str, name: str = "") -> bool:
    low = password.lower()
    if low in COMMON or len(set(low)) <= 2:  # 12121212, aaaaaaaa
        return True
    if name and name.strip().lower() in low and len(low) - len(name.strip()) < 4:  # admin123
        return True
    return any(low in seq for seq in _SEQUENCES)  # 23456789, abcdefgh
