"""Sending a webhook: resolve the host once, refuse it if any of its addresses is not public,
then connect to exactly the address that was checked (TLS still verifies the certificate for
the host name). Resolving again at connect time would let a hostile DNS server answer
"public" to the check and "127.0.0.1" to the connection (DNS rebinding). Redirects are never
followed: a 3xx is a failed delivery like any other non-2xx.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit


class RefusedAddress(ValueError):
    """The host resolves to an address inside our network (or to nothing usable)."""


def is_public(address: str) -> bool:
    return ipaddress.ip_address(address.split("%")[0]).is_global


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (numeric hosts resolve to themselves)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def pick_address(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to, checked once. A host with any non-public address is refused
    (a mixed answer is how rebinding hides)."""
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError) as error:
        raise OSError(f"cannot resolve {host}: {error}") from error
    if not addresses:
        raise OSError(f"cannot resolve {host}")
    if not allow_private and not all(is_public(a) for a in addresses):
        raise RefusedAddress("refused: the host resolves to a private address")
    return addresses[0]


class _Pinned:
    """Mixin: connect to ``address`` instead of resolving ``host`` again."""

    address: str

    def _socket(self):
        return socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = self._socket()


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self):
        self.sock = self.tls.wrap_socket(self._socket(), server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, *, timeout: float, allow_private: bool) -> int:
    """POST ``body`` to ``url`` through the checked address; the response's status code."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = pick_address(parts.hostname, port, allow_private=allow_private)
    kind = PinnedHTTPSConnection if secure else PinnedHTTPConnection
    connection = kind(parts.hostname, port, address=address, timeout=timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", target, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()
