"""A resolver for tests: names answer from a table, never from DNS."""

from __future__ import annotations

import ipaddress
import socket


class FakeDNS:
    """A resolver that answers from a table (and records each question) instead of DNS;
    ``later`` answers every question after the first about a name (DNS rebinding)."""

    def __init__(self, monkeypatch, table: dict[str, list[str]], later=None) -> None:
        self.table, self.later, self.asked = table, later or {}, []
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        try:
            # An address needs no resolver (urllib3 asks about the one it connects to).
            table = {host: [str(ipaddress.ip_address(host))]}
        except ValueError:
            table = self.later if host in self.asked and host in self.later else self.table
            self.asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port, 0, 0) if ":" in address else (address, port),
            )
            for address in table[host]
        ]
