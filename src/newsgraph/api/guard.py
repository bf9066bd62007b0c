"""The write guard, in front of the app: a request that may not write is answered before its body is read,
and a body is read only up to a limit."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# the largest POST body: an article of nlp.max_chars characters, JSON-escaped, with its metadata
MAX_BODY = 8 * 1024 * 1024


def write_refusal(allow_write: bool, token: str | None, authorization: str) -> tuple[int, str, dict] | None:
    """(status, detail, headers) when a request may not write; None when it may."""
    if not allow_write:
        return 403, "read-only: start the server with --allow-write and a token", {}
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token or not hmac.compare_digest(given.encode(), token.encode()):
        return 401, "a valid bearer token is required", {"WWW-Authenticate": "Bearer"}
    return None


class WriteGuard:
    """ASGI middleware: every request that is not a read passes the token check first, then brings a body of at
    most `max_body` bytes (declared or not), which is read here and handed on; nothing else is read."""

    def __init__(self, app: ASGIApp, *, allow_write: bool, token: str | None, max_body: int = MAX_BODY) -> None:
        self.app, self.allow_write, self.token, self.max_body = app, allow_write, token, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READ_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        refused = write_refusal(self.allow_write, self.token, headers.get("authorization", ""))
        if refused:
            await _answer(send, *refused)
            return
        try:
            declared = int(headers.get("content-length", "0") or 0)
        except ValueError:
            await _answer(send, 400, "bad Content-Length", {})
            return
        if declared > self.max_body:
            await _answer(send, 413, f"request body over {self.max_body} bytes", {})
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await _answer(send, 413, f"request body over {self.max_body} bytes", {})
                return
            if not message.get("more_body"):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    body = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
           (b"connection", b"close")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
