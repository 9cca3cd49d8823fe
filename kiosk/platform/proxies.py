"""The client's address behind the proxies named in KIOSK_TRUSTED_PROXIES.

Rate limits and the audit trail read REMOTE_ADDR. Behind nginx or HAProxy that is the
proxy's own address, so every tablet and phone would share one limit and one audit entry.
X-Forwarded-For says who the proxy was talking to, but anyone can send that header: it is
believed only when the connection comes from a trusted proxy, and then read from the right,
hop by hop, past the trusted proxies, to the first address that is not one of them (ours
appended it; whatever stands to its left was sent by the client and proves nothing).
X-Forwarded-Proto is taken from a trusted proxy too (https: Secure cookies, https links).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (10.0.0.5, 10.0.0.0/24, ::1); ValueError names a bad one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return tuple(networks)


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR and the scheme as the nearest untrusted hop saw them."""

    def __init__(self, app: Callable[..., Any], networks: tuple[Network, ...]) -> None:
        self.app, self.networks = app, networks

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, environ: dict[str, Any]) -> str:
        """The address past our proxies; the peer itself is one of them."""
        client = environ.get("REMOTE_ADDR", "")
        for hop in reversed(environ.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop = hop.strip()
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                break  # not an address: the hop before it is the last one known
            client = hop
            if not self.trusted(hop):
                break
        return client

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.trusted(environ.get("REMOTE_ADDR", "")):  # else both headers are ignored
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
            environ["REMOTE_ADDR"] = self.client(environ)
        return self.app(environ, start_response)
