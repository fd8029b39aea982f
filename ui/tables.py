"""Table helpers shared by the pages: missing values shown as empty cells, never "None"."""
from __future__ import annotations

import pandas as pd


def blank_missing(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with missing values (None, NaN, <NA>) as empty text in every column that is not
    a date/time (st.dataframe prints a missing value as the English word "None"). Whole numbers
    stay whole: a column of 序号 with one gap shows 1, 2, "", not 1.0, 2.0, None. Such a column
    becomes text throughout: numbers beside "" in one column made Arrow fail and Streamlit log a
    traceback before it fell back (seen on the console's 接龙明细 with a manual entry)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s) or not s.isna().any():
            continue
        if pd.api.types.is_float_dtype(s) and s.dropna().apply(float.is_integer).all():
            s = s.astype("Int64")
        out[col] = s.astype("string").fillna("")
    return out


def in_view(df: pd.DataFrame, first: list[str]) -> pd.DataFrame:
    """The frame with the columns a person checks first (those present, in `first`'s order)
    on the left: the console's narrow right column shows about five without a sideways scroll."""
    head = [c for c in first if c in df.columns]
    return df[head + [c for c in df.columns if c not in head]]


def with_spec(df: pd.DataFrame, first: list[str]) -> list[str]:
    """`first` with 规格 right after 状态 when an entry has a spec: a chain line naming two specs
    is two entries of one member (`1. 王芳 2`, `1. 王芳 1`), told apart by their spec only (night 9).
    After 状态, not before it: at 1280×800 the narrow columns up to 状态 fill the panel, and the
    spec's first character (大 / 小) still shows beside them."""
    if "规格" not in df.columns or "状态" not in first or not df["规格"].fillna("").astype(str).str.strip().any():
        return first
    at = first.index("状态") + 1
    return [*first[:at], "规格", *first[at:]]


# Pixel widths of the short columns (two CJK characters or a number, plus padding): the console's
# right column is about 280 px wide at 1280×800 with the sidebar open.
NARROW_PX = {"变化": 50, "序号": 48, "数量": 48, "状态": 58, "团员": 68, "超限购": 60, "规格": 64}


def narrow(*names: str) -> dict:
    """column_config giving the short columns (数量, 状态 …) just the width they need."""
    import streamlit as st

    return {n: st.column_config.Column(n, width=NARROW_PX.get(n, "small")) for n in names}


def money_column():
    """A yuan amount in a table, written as the metrics and the report write it (¥9,726.60)."""
    import streamlit as st

    return st.column_config.NumberColumn(format="¥%,.2f")
