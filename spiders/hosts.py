"""Host names as a crawler must compare them: one spelling per host, one class per address.

A hostile page can write 127.0.0.1 as `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1` or
`LOCALHOST.`; browsers and the C resolver read all of them as the same host. `normalise_host`
gives the one spelling scope decisions compare (WHATWG URL host parsing: IDNA, case, trailing
dot, every numeric IPv4 form, bracketed IPv6), and `address_class` names why an address is not
a public one, for the address guard.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

_NUMBER = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")


def _ipv4_number(part: str) -> int | None:
    if not _NUMBER.match(part):
        return None
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def parse_ipv4(host: str) -> str | None:
    """Dotted-quad form of any numeric IPv4 spelling (1 to 4 parts, decimal/octal/hex), else None."""
    parts = host.split(".")
    if parts and parts[-1] == "":
        parts = parts[:-1]
    if not 1 <= len(parts) <= 4:
        return None
    parsed = [_ipv4_number(p) for p in parts]
    numbers = [n for n in parsed if n is not None]
    if len(numbers) < len(parsed):
        return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(parts)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number * 256 ** (3 - index)
    return str(ipaddress.IPv4Address(value))


@lru_cache(maxsize=1024)  # asked for every link and request; a crawl sees few hosts (bounded)
def normalise_host(host: str) -> str | None:
    """The canonical spelling of a URL host, or None when it is not a usable host name."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host)
        except ValueError:
            return None
        return str(address.ipv4_mapped or address)
    host = host.rstrip(".").lower() if host not in (".", "") else ""
    if not host:
        return None
    if (ipv4 := parse_ipv4(host)) is not None:
        return ipv4
    if _NUMBER.match(host.split(".")[-1]):  # ends in a number but is no IPv4 address: invalid
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not re.fullmatch(r"[a-z0-9_]([a-z0-9_-]*\.?)*", ascii_host.lower()):
        return None
    return ascii_host.lower()


def address_class(address: str) -> str | None:
    """Why an IP address is not a public one (loopback, private, ...), or None for a public one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:
        return "not globally routable"
    return None
