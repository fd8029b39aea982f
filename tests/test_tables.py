"""ui.tables.blank_missing: missing cells blank, whole numbers whole, and a frame Arrow takes."""
import pandas as pd
import pyarrow as pa

from ui.tables import blank_missing


def test_a_gap_in_a_number_column_is_blank_and_arrow_converts_it():
    df = blank_missing(pd.DataFrame({"序号": [1, None, 3], "团员": ["王芳", None, "李四"], "数量": [2, 1, 3]}))
    assert list(df["序号"]) == ["1", "", "3"]
    assert list(df["团员"]) == ["王芳", "", "李四"]
    assert list(df["数量"]) == [2, 1, 3]  # no gap: left as numbers
    pa.Table.from_pandas(df)  # raised ArrowInvalid on ints beside "" (a traceback in the server log)
