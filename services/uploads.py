"""Uploaded files: their size limit and their text encoding (UTF-8, else GB18030 as Excel
and WeChat exports on Chinese Windows write it), and spreadsheets read safely."""
from __future__ import annotations

import io

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


# A spreadsheet is a zip: a 1 MB file can hold hundreds of MB of XML (a "decompression bomb"
# took 155 s of CPU and 809 MB). Its members' declared sizes are checked before anything is
# parsed, the sheet is streamed (openpyxl read_only) and reading stops at MAX_ROWS.
MAX_XLSX_UNCOMPRESSED = 40_000_000
MAX_ROWS = 20_000  # a community's order export is a few thousand rows; bigger: split it


def check_xlsx(data: bytes, limit: int = MAX_XLSX_UNCOMPRESSED) -> None:
    """TooLarge when the workbook unpacks to more than `limit` bytes; InvalidInput when it is
    not a workbook at all."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(max(info.file_size, 0) for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput("文件读取失败：不是有效的 XLSX 表格，请重新导出后再导入。", "文件") from exc
    if unpacked > limit:
        raise TooLarge(f"表格解压后过大（{unpacked / 1_000_000:.0f} MB），最多 {limit // 1_000_000} MB，请拆分后导入。", "文件")


def xlsx_rows(data: bytes, max_rows: int = MAX_ROWS, header_only: bool = False) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the first sheet as text, streamed; TooLarge past max_rows."""
    from openpyxl import load_workbook

    check_xlsx(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(it, ())]
        rows: list[list[str]] = []
        if header_only:
            return header, rows
        for values in it:
            if len(rows) >= max_rows:
                raise TooLarge(f"表格超过 {max_rows} 行，请按团品或日期拆分后分批导入。", "文件")
            row = [_cell_text(v) for v in values[: len(header)]]
            if any(row):
                rows.append(row + [""] * (len(header) - len(row)))
        return header, rows
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the text a person sees: 101.0 from a number cell reads 101."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
