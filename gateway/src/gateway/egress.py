"""Outgoing HTTP to addresses that subscribers chose (webhooks): no SSRF.

Outside dev/test a target must resolve only to public addresses: loopback, private (RFC 1918,
ULA), link-local (and so the 169.254.169.254 metadata service), CGNAT (100.64.0.0/10, where some
clouds put their metadata service), unspecified, multicast and reserved ranges are refused —
unless the host or its network is on `webhook_allowed_hosts` (departmental systems on the
政务外网 often live on private addresses). The name is resolved at delivery time and the
connection goes to the address that was checked (no DNS rebinding between check and connect);
TLS still verifies the certificate against the host name (SNI). Redirects are never followed."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]


class BlockedTarget(Exception):
    """The target resolves to an address webhooks may not reach."""


def private_allowed(settings) -> bool:
    explicit = getattr(settings, "webhook_allow_private", None)
    return settings.env in ("dev", "test") if explicit is None else bool(explicit)


def blocked_reason(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, why in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local/metadata"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_multicast, "multicast"),
        (ip in ipaddress.ip_network("100.64.0.0/10"), "CGNAT/shared"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "not global"),
    ):
        if test:
            return why
    return None


class Policy:
    def __init__(self, allow_private: bool, allowed_hosts: Iterable[str] = ()):
        self.allow_private = allow_private
        self.hosts: set[str] = set()
        self.networks: list = []
        for entry in allowed_hosts:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry)

    @classmethod
    def from_settings(cls, settings) -> Policy:
        return cls(private_allowed(settings), getattr(settings, "webhook_allowed_hosts", ()) or ())

    def check(self, host: str, ip: IPAddress) -> None:
        if self.allow_private or host.lower() in self.hosts or any(ip in n for n in self.networks):
            return
        why = blocked_reason(ip)
        if why:
            raise BlockedTarget(f"{host} resolves to {ip} ({why})")


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


async def resolve(url: str, policy: Policy, resolver: Resolver | None = None) -> tuple[str, dict, dict]:
    """(URL to connect to — the checked address —, extra headers, httpx request extensions).
    Every address the name resolves to must pass: one bad answer refuses the target."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise BlockedTarget("not an http(s) URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            answers = await (resolver or system_resolver)(host, port)
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in answers]
        except OSError as exc:
            raise BlockedTarget(f"{host} does not resolve: {exc}") from None
        if not addresses:
            raise BlockedTarget(f"{host} does not resolve") from None
    for ip in addresses:
        policy.check(host, ip)
    ip = addresses[0]
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return target, {"host": host_header}, extensions


async def post(client, url: str, policy: Policy, *, content: bytes, headers: dict, resolver: Resolver | None = None):
    """POST to `url` through the checked address; the client must not follow redirects."""
    target, extra, extensions = await resolve(url, policy, resolver)
    return await client.post(
        target, content=content, headers={**headers, **extra}, extensions=extensions, follow_redirects=False
    )
