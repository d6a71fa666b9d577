"""Fetch one web page for `source add URL`: the only network read besides `mail --send`.

Only http and https, every redirect checked against the same URL policy as a link in the
brief (a page that redirects to file:///etc/passwd, ftp: or data: is refused, never
followed), a timeout on each read, and a size cap counted while reading, so a page that
never ends or lies about its length cannot fill memory. The opener is built by hand with
no file, ftp, data or proxy handler: urllib's default opener would read file: URLs.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage, HTTPResponse
from typing import IO

from briefgen import __version__
from briefgen.errors import BriefgenError
from briefgen.urls import UnsafeUrl, check_url

TIMEOUT = 20.0
"""Seconds to wait for the server to connect or send the next bytes."""
MAX_BYTES = 10_000_000
"""The largest page read; a news article is well under 1 MB even with its markup."""
MAX_REDIRECTS = 5
_CHUNK = 65_536


@dataclass(frozen=True)
class Fetched:
    """A page as the server sent it, and the address it finally came from."""

    url: str
    """The final URL, after redirects: what the registry records."""
    body: bytes
    content_type: str
    charset: str | None


class FetchError(BriefgenError):
    """A page that could not be fetched, or was refused: one line saying what to do."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address the URL policy accepts, at most MAX_REDIRECTS."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
    ) -> object:
        """Check the new address before urllib looks at it (urllib itself would follow
        ftp: and report file: as an HTTP error, not as a refused address)."""
        location = headers.get("Location") or headers.get("URI") or ""
        newurl = urllib.parse.urljoin(req.full_url, location)
        try:
            check_url(newurl)
        except UnsafeUrl as error:
            raise FetchError(
                f"{req.full_url} redirects to {newurl[:200]!r}, which is refused: {error}; "
                "save the page from a browser and give the file instead"
            ) from None
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """http and https only: no FileHandler, FTPHandler, DataHandler or ProxyHandler."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """The page at `url`, or FetchError saying why not (refused address, offline, HTTP
    error, too big, too slow)."""
    try:
        safe = check_url(url).url
    except UnsafeUrl as error:
        raise FetchError(f"{url[:200]}: {error}") from None
    request = urllib.request.Request(safe, headers={"User-Agent": f"briefgen/{__version__}"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = _read_capped(response, max_bytes, safe)
            final = response.geturl()
            headers = response.headers
    except urllib.error.HTTPError as error:
        raise FetchError(
            f"{safe}: the server answered {error.code} {error.reason}; check the address, "
            "or save the page from a browser and give the file"
        ) from None
    except (urllib.error.URLError, OSError, HTTPException) as error:
        raise FetchError(f"cannot fetch {safe}: {_reason(error)}; {_OFFLINE}") from None
    return Fetched(final, body, headers.get_content_type(), headers.get_content_charset())


_OFFLINE = (
    "check the address and the network connection, or save the page from a browser "
    "and give the file instead"
)


def _reason(error: BaseException) -> str:
    """What went wrong, in words: the socket's reason inside urllib's wrapper."""
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"no answer within {TIMEOUT:g} seconds"
    if isinstance(reason, socket.gaierror):
        return "the host name cannot be resolved (offline, or no such host)"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _read_capped(response: HTTPResponse, max_bytes: int, url: str) -> bytes:
    """The body, refused as soon as it passes `max_bytes` (whatever Content-Length said)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(_too_big(url, int(declared), max_bytes))
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_big(url, size, max_bytes, at_least=True))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(url: str, size: int, cap: int, at_least: bool = False) -> str:
    more = "over " if at_least else ""
    return (
        f"{url}: the page is {more}{size / 1e6:.1f} MB, over the {cap / 1e6:g} MB a page may "
        "be; save the part you need from a browser and give the file"
    )
