"""services.sql.get_or_not_found: the one "row by id, or NotFound in Chinese" step the
capabilities' get_show / get_deal / get_group / get_promise use."""
from __future__ import annotations

import pytest

from services import errors, jielong, promises, shows, triage


@pytest.mark.parametrize("get,said", [
    (shows.get_show, "找不到编号为 9999 的场次，请从左侧重新选择。"),
    (jielong.get_deal, "找不到编号为 9999 的团品。"),
    (triage.get_group, "找不到编号为 9999 的问题组。"),
    (promises.get_promise, "找不到编号为 9999 的承诺，可能已被删除。"),
])
def test_a_missing_row_is_refused_with_its_own_chinese_message(session, get, said):
    with pytest.raises(errors.NotFound) as refused:
        get(session, 9999)
    assert str(refused.value) == said
