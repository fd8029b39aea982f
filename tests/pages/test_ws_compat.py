"""A browser tab that leaves while the server writes to it: the receive loop must end on
WebSocketDisconnect (what Streamlit's loop ends on quietly), not on the RuntimeError that
Streamlit logs as a traceback (ui/ws_compat.py)."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.websockets import WebSocket, WebSocketDisconnect

from ui import ws_compat


def _run(make_coro):
    """asyncio.run in a thread of its own: other tests (the browser's sync API) may leave an
    event loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()


def _socket_whose_send_failed() -> WebSocket:
    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        if message["type"] == "websocket.send":
            raise OSError("the browser went away")

    ws = WebSocket({"type": "websocket", "path": "/_stcore/stream", "headers": []}, receive, send)

    async def open_then_fail():
        await ws.accept()
        with pytest.raises(WebSocketDisconnect):
            await ws.send_bytes(b"delta")  # Starlette marks the socket disconnected here

    _run(open_then_fail)
    return ws


def test_receive_after_a_failed_send_ends_as_a_disconnect():
    ws_compat.install()
    ws = _socket_whose_send_failed()
    with pytest.raises(WebSocketDisconnect):
        _run(ws.receive_bytes)


def test_without_the_shim_starlette_raises_the_runtime_error_streamlit_misreads(monkeypatch):
    monkeypatch.setattr(WebSocket, "receive_bytes", ws_compat._receive_bytes)
    ws = _socket_whose_send_failed()
    with pytest.raises(RuntimeError) as err:
        _run(ws.receive_bytes)
    assert not isinstance(err.value, WebSocketDisconnect)
