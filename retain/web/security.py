"""Access token gate and security headers for ``retain serve`` (pure ASGI middleware)."""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "retain_token"
# No inline script or style anywhere: everything comes from /static on this origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
UNAUTHORISED = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>retain: access token needed</title></head><body>
<h1>Access token needed</h1>
<p>Open the link that <code>retain serve</code> printed when it started; it carries the token.</p>
</body></html>"""


def new_token() -> str:
    """A fresh random access token (URL-safe, 192 bits)."""
    return secrets.token_urlsafe(24)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class SecurityHeaders:
    """Adds the CSP, no-store caching and the other hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


class TokenGate:
    """Lets a request through only with the server's token.

    The token arrives once as ``?token=...`` (the printed link); the gate then stores it in an
    HttpOnly, SameSite=Strict cookie and redirects to the same URL without it, so the token
    does not linger in the address bar or in the history.

    Args:
        app: The application behind the gate.
        token: The access token.
    """

    def __init__(self, app: ASGIApp, token: str) -> None:
        if len(token) < 16:
            raise ValueError("the access token must be at least 16 characters long")
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        offered = [value for key, value in query if key == "token"]
        if offered:
            response: Response
            if _same(offered[-1], self.token):
                rest = urlencode([(k, v) for k, v in query if k != "token"])
                response = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), status_code=303)
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            else:
                response = HTMLResponse(UNAUTHORISED, status_code=403)
            await response(scope, receive, send)
            return
        if self._cookie_ok(scope):
            await self.app(scope, receive, send)
            return
        await HTMLResponse(UNAUTHORISED, status_code=401)(scope, receive, send)

    def _cookie_ok(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookie = SimpleCookie()
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header is simply no token
                    return False
                morsel = cookie.get(COOKIE)
                if morsel is not None and _same(morsel.value, self.token):
                    return True
        return False
