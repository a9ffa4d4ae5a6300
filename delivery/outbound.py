"""Requests the CMS makes to addresses operators register (webhook endpoints), never to
the machines of its own network.

A URL's host is resolved once and every address it resolves to is checked: a loopback,
private, link-local, shared, reserved, unspecified or multicast address, a cloud metadata
address, or any of them written as IPv6 (IPv4-mapped, NAT64, 6to4), is refused. The
connection is then made to the address that was checked, with the URL's name in the Host
header and in TLS (SNI and the certificate's name): a name that resolves elsewhere by the
time the connection is made (DNS rebinding) reaches nothing new. Redirects are not
followed. ``CIVIC_WEBHOOK_ALLOW_INTERNAL`` allows internal addresses, for local
development (a frontend on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS over IPv6;
# AWS ECS task metadata; Alibaba Cloud). All are internal by range too: they are named
# here so that the refusal says what they are.
METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Checked in this order: the first that holds names the kind of address in the refusal.
KINDS = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)


class InternalAddressError(Exception):
    """A URL whose host is, or resolves to, an internal address."""

    def __init__(self, url: str, address: IPAddress, kind: str) -> None:
        self.url, self.address, self.kind = url, address, kind
        super().__init__(
            f"{url}: {address} is an internal address ({kind}); webhooks are not sent to "
            "internal addresses (CIVIC_WEBHOOK_ALLOW_INTERNAL allows them, for local "
            "development)"
        )


class UnresolvableHostError(Exception):
    """A URL whose host has no address."""

    def __init__(self, url: str, host: str, reason: str) -> None:
        super().__init__(f"{url}: {host} does not resolve ({reason})")


def allow_internal() -> bool:
    return bool(getattr(settings, "CIVIC_WEBHOOK_ALLOW_INTERNAL", False))


def internal_kind(address: IPAddress) -> str | None:
    """What kind of internal address ``address`` is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        nat64 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None
        for form, embedded in (
            ("IPv4-mapped", address.ipv4_mapped),
            ("NAT64", nat64),
            ("6to4", address.sixtofour),
        ):
            if embedded is not None:
                kind = internal_kind(embedded)
                return f"{kind}, {form}" if kind else None
    if address in METADATA:
        return "cloud metadata"
    for attribute, kind in KINDS:
        if getattr(address, attribute):
            return kind
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"
    if not address.is_global:
        # 100.64.0.0/10 (carrier-grade NAT) and other special-purpose ranges.
        return "shared or special-purpose"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order, without repeats."""
    found: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


@dataclass(frozen=True)
class Target:
    """A URL with the addresses its host resolved to, every one of them checked."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def check(url: str) -> Target:
    """Resolve the URL's host and check every address; raise when one is internal."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError) as error:
        raise UnresolvableHostError(url, host, str(error) or type(error).__name__) from error
    if not addresses:
        raise UnresolvableHostError(url, host, "no address")
    if not allow_internal():
        for address in addresses:
            kind = internal_kind(address)
            if kind:
                raise InternalAddressError(url, address, kind)
    return Target(url, parts.scheme, host, port, tuple(addresses))


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to the target's checked addresses (the next one when a connection
    cannot be made), never following a redirect; the answer's status code. Its body is not
    read."""
    parts = urlsplit(target.url)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    headers = {"Host": parts.netloc.rpartition("@")[2], **headers}
    if parts.username is not None:
        credentials = f"{parts.username}:{parts.password or ''}"
        headers.update(urllib3.make_headers(basic_auth=credentials))
    last_error: Exception | None = None
    for address in target.addresses:
        pool = _pool(target, address, timeout)
        try:
            response = pool.urlopen(
                "POST",
                path,
                body=body,
                headers=headers,
                retries=False,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as e:
            last_error = e
            continue
        finally:
            pool.close()
        status = response.status
        response.close()
        return status
    assert last_error is not None  # noqa: S101 - check() never returns no address
    raise last_error


def _pool(target: Target, address: IPAddress, timeout: float) -> urllib3.HTTPConnectionPool:
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "maxsize": 1}
    if target.scheme == "https":
        name = target.host.rstrip(".")
        return urllib3.HTTPSConnectionPool(
            str(address),
            target.port,
            server_hostname=name,
            assert_hostname=name,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            **options,
        )
    return urllib3.HTTPConnectionPool(str(address), target.port, **options)


def describe(error: BaseException) -> str:
    """An error's class and message, for the delivery log."""
    return f"{type(error).__name__}: {error}"
