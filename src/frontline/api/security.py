"""Access control that is not a route's business: bearer tokens, request size, response headers.

Tokens are compared with ``secrets.compare_digest`` so the time a wrong guess takes says nothing about
how close it was. Bodies are limited twice: by ``Content-Length`` before anything is read, and by
counting what arrives, since a chunked upload has no length to check.
"""

from __future__ import annotations

import ipaddress
import json
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import Unauthorized


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(expected: str | None, given: str | None, *, action: str) -> None:
    """Raise ``Unauthorized`` unless ``given`` (the bearer token sent) is the server's token."""
    if not expected:
        raise Unauthorized(
            f"{action} is disabled on this server: start it with FRONTLINE_API_TOKEN set "
            "and send the token as 'Authorization: Bearer <token>'",
            status=403,
        )
    if not given or not given.strip():
        raise Unauthorized(f"{action} needs a token: send 'Authorization: Bearer <token>'")
    # Both sides as bytes: compare_digest refuses non-ASCII str, and a header may carry any byte.
    if not secrets.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized("the token is not valid")


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def served_hosts(served_host: str | None, configured: list[str]) -> frozenset[str] | None:
    """The Host names the server answers to, lower-case without port; None for any.

    On loopback (the default) only loopback's own names: a page on another site that rebinds its
    DNS name to 127.0.0.1 reaches the server under *its* name, and is refused. On one named
    interface, that name (and loopback's). Bound to every interface, the names cannot be known:
    any, unless ``FRONTLINE_ALLOWED_HOSTS`` lists them. ``"*"`` in the list allows any.
    """
    if "*" in configured:
        return None
    names = {_host_name(h) for h in configured if h.strip()}
    host = (served_host or "127.0.0.1").strip().strip("[]").lower()
    if host in WILDCARD_BINDS and not names:
        return None
    names.update(LOOPBACK_NAMES)
    if host not in WILDCARD_BINDS:
        names.add(host)
    return frozenset(names)


def _host_name(value: str) -> str:
    """'Example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value  # a bare IPv6 address, or no port


class HostGuardMiddleware:
    """Refuse requests whose ``Host`` header is not a name this server serves (421): the guard against
    DNS rebinding, by which a web page would read a loopback API as if it were its own site."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allowed is None:
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
        name = _host_name(host)
        if name not in self.allowed:
            shown = ", ".join(sorted(self.allowed))
            detail = (
                f"this server does not answer to Host {host!r} (it answers to {shown}); "
                "list more names in FRONTLINE_ALLOWED_HOSTS"
            )
            await BodyLimitMiddleware._reply(send, 421, detail)
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, declared or streamed, and NUL characters in URLs
    with 422 (SQLite ends strings at NUL, so ``%00`` would quietly turn a filter into "match all")."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await self._reply(send, 422, "NUL characters are not allowed in URLs")
            return
        declared: int | None = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reply(send, 400, "Content-Length is not a number")
                    return
        if declared is not None:
            # The server holds the client to its declared length, so checking the number is enough.
            if declared > self.max_bytes:
                await self._reply(send, 413, self._message())
                return
            await self.app(scope, receive, send)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # A chunked upload has no length to check: read it here, up to the limit. (Raising from inside
        # the app's receive would not do: FastAPI turns errors while reading a body into its own 400.)
        chunks: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                chunks.append(message)
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await self._reply(send, 413, self._message())
                return
            chunks.append(message)
            if not message.get("more_body", False):
                break
        replay = iter(chunks)

        async def replay_receive() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replay_receive, send)

    def _message(self) -> str:
        return (
            f"request body is over the {self.max_bytes:,}-byte limit "
            "(split the input, or raise FRONTLINE_MAX_REQUEST_BYTES)"
        )

    @staticmethod
    async def _reply(send: Send, status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# The page loads only its own files; the one exception is the optional online tile layer.
TILE_HOSTS = "https://tile.openstreetmap.org"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    f"img-src 'self' data: {TILE_HOSTS}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Headers that cost nothing and close whole classes of mistakes (sniffing, framing, referrers)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The interactive docs (/docs, /redoc) load FastAPI's own CDN assets; the CSP would break them.
        path: str = scope.get("path", "")
        strict = not (path.startswith("/docs") or path.startswith("/redoc"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if strict:
                    headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
