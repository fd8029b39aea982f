"""Uploaded files: their size limit and their text encoding (UTF-8, else GB18030 as Excel
and WeChat exports on Chinese Windows write it)."""
from __future__ import annotations

from services.errors import InvalidInput, TooLarge

MAX_FILE_BYTES = 20_000_000
ENCODINGS = ("utf-8-sig", "gb18030")


def check_file_size(data: bytes, limit: int = MAX_FILE_BYTES) -> None:
    if len(data) > limit:
        raise TooLarge(f"文件过大（{len(data) / 1_000_000:.1f} MB），单个文件最多 {limit // 1_000_000} MB，请拆分后导入。")


def decode(data: bytes, field: str = "文件", message: str = "文件编码无法识别，请另存为 UTF-8 后再导入。") -> str:
    """The file's text; InvalidInput(message, field) when neither encoding reads it."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(message, field)
