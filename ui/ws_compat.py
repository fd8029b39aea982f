"""A tab that goes away while the server is writing to it must end quietly.

Starlette marks the websocket disconnected when a send fails (the browser left) and raises
WebSocketDisconnect there, which Streamlit's sender handles. Streamlit's receive loop then calls
receive_bytes, which Starlette (WebSocketDisconnected, a RuntimeError) refuses on a disconnected
socket; Streamlit 1.67 reads any RuntimeError there as a text frame and logs a TypeError
traceback for a tab that simply closed (seen in the browser tests under load). Here the
socket already known to be gone raises WebSocketDisconnect, the exception Streamlit's loop ends
on, as it would for the browser's own close frame.
"""
from __future__ import annotations

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

_receive_bytes = WebSocket.receive_bytes


async def _receive_bytes_or_disconnect(self: WebSocket) -> bytes:
    if self.application_state == WebSocketState.DISCONNECTED:
        raise WebSocketDisconnect(code=1006)  # 1006: closed abnormally (the send had failed)
    return await _receive_bytes(self)


def install() -> None:
    """Idempotent: the ASGI server imports dashboard.py once, tests may call it again."""
    if WebSocket.receive_bytes is not _receive_bytes_or_disconnect:
        WebSocket.receive_bytes = _receive_bytes_or_disconnect
