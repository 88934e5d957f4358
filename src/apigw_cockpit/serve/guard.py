"""Who may see the shared cockpit: the token, the Host and the Origin checks. Pure functions.

- The token is 32 random bytes (URL-safe), made at start, printed once in the URL; compared in
  constant time. It is required for the page and for the websocket, on every host, always.
- Host: a request must name the address the server is bound to (or, on loopback, one of the
  loopback names). That defeats DNS rebinding: a page at evil.example that re-resolves to
  127.0.0.1 still sends `Host: evil.example`.
- Origin: a browser's websocket must come from the page we served (`http://<our host>`), so
  another web page open in the operator's browser cannot read the screen even if it learnt the
  port. A websocket without an Origin (not a browser) is refused too: only browsers view.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_ok(given: str | None, token: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def _split_host(value: str) -> tuple[str, int | None] | None:
    """`host[:port]` (IPv6 in brackets) from a Host header; None when it does not parse."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None


@dataclass(frozen=True)
class Guard:
    token: str
    bind_host: str  # as given to --host
    port: int  # the port actually bound

    def _names(self) -> frozenset[str] | None:
        """Host names a request may use; None = any (bound to a wildcard address)."""
        host = self.bind_host.lower().strip("[]")
        if host in WILDCARDS:
            return None
        if is_loopback(host):
            return LOOPBACK_NAMES | {host}
        return frozenset({host})

    def host_ok(self, header: str | None) -> bool:
        if not header:
            return False
        split = _split_host(header)
        if split is None:
            return False
        name, port = split
        if port != self.port and not (port is None and self.port == 80):
            return False
        names = self._names()
        return names is None or name in names

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """The websocket's Origin is exactly `http://<the Host the page was served under>`."""
        if not origin or not self.host_ok(host_header):
            return False
        return hmac.compare_digest(origin.lower().rstrip("/"), f"http://{host_header}".lower())

    def page_url(self, shown_host: str | None = None) -> str:
        host = shown_host or self.bind_host
        if host in WILDCARDS:
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/?token={self.token}"
