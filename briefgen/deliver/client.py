"""An SMTP client that a bad server cannot hold up or fill up.

Python's smtplib puts a timeout on each socket operation, so a server that sends one
byte a second never trips it, and it reads a multi-line reply into a list with no end,
so an endless EHLO reply (sent before STARTTLS, so by anyone on the path) grows memory
without limit. Here every read and write of an attempt is held to one deadline, checked
before each `recv` and given to the socket as its timeout; a reply line may be at most
MAX_LINE bytes and a whole reply MAX_REPLY. The client also notes when the message has
been handed over whole (`body_sent`): after that, a failure leaves the outcome unknown,
and the message must not be sent again without asking the recipients.
"""

from __future__ import annotations

import re
import smtplib
import socket
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

MAX_LINE = 2048
"""Bytes in one reply line (RFC 5321 allows 512; some servers write longer texts)."""
MAX_REPLY = 32_768
"""Bytes in one reply, all its lines (a long EHLO reply is under 1,000)."""
MIN_RATE = 50_000
"""Bytes a second the message is given to travel: the deadline grows by its size / this
when the body is sent (a 10 MB message gets 200 s more)."""


class Deadline:
    """One point in time that an attempt must not pass, whatever the server does."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.end = self.start + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def extend(self, seconds: float) -> None:
        """Give the message time to travel (once, when its body is sent)."""
        self.seconds += seconds
        self.end += seconds


class Stalled(Exception):
    """The deadline passed: the server did not answer, or answered too slowly."""

    def __init__(self, stage: str, waited: float, received: int) -> None:
        super().__init__(stage)
        self.stage, self.waited, self.received = stage, waited, received


class Oversized(Exception):
    """A reply line or a whole reply went over MAX_LINE or MAX_REPLY."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(what)
        self.what, self.limit = what, limit


class BoundedSMTP(smtplib.SMTP):
    """smtplib.SMTP under one deadline and reply limits (and, mixed in before
    smtplib.SMTP_SSL, the same for implicit TLS)."""

    def __init__(self, deadline: Deadline, **kwargs: Any) -> None:
        self.deadline = deadline
        self.body_sent = False
        self._buffer = bytearray()
        self._buffer_of: object = None
        self._waiting_since = time.monotonic()
        super().__init__(**kwargs)

    def connect(self, host: str = "localhost", port: int = 0, source_address: Any = None) -> Any:
        """smtplib's, timing the wait for the greeting from the moment it connects, and
        naming `host` as the one TLS must verify (smtplib takes it only from __init__)."""
        self._host = host
        self._waiting_since = time.monotonic()
        return super().connect(host, port, source_address)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        """Connect (and for SMTP_SSL shake hands) within what is left of the deadline."""
        try:
            left = self._left("connect")
            sock: socket.socket = super()._get_socket(host, port, left)  # type: ignore[misc]
        except TimeoutError:
            raise self._stalled("connect", 0) from None
        return sock

    def send(self, s: ReadableBuffer | str) -> None:
        """`sendall` within the deadline (smtplib's would call a timeout a disconnect)."""
        data = s.encode(self.command_encoding) if isinstance(s, str) else bytes(s)
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        self.sock.settimeout(self._left("send"))
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise self._stalled("send", 0) from None
        except OSError as error:
            self.close()
            raise smtplib.SMTPServerDisconnected(
                f"the connection broke while sending ({error.strerror or error})"
            ) from None
        self._waiting_since = time.monotonic()

    def getreply(self) -> tuple[int, bytes]:
        """One reply, all its lines, within MAX_REPLY bytes and the deadline."""
        lines: list[bytes] = []
        total = 0
        while True:
            line = self._line(total)
            total += len(line)
            if total > MAX_REPLY:
                self.close()
                raise Oversized("a reply", MAX_REPLY)
            lines.append(line[4:].strip(b" \t\r\n"))
            if line[3:4] != b"-":
                break
        code = line[:3]
        errcode = int(code) if re.fullmatch(rb"[0-9]{3}", code) else -1
        return errcode, b"\n".join(lines)

    def _line(self, received: int) -> bytes:
        """One line, from what is buffered and then from the socket, read by read."""
        if self._buffer_of is not self.sock:  # a new socket (STARTTLS): drop the old bytes
            self._buffer.clear()
            self._buffer_of = self.sock
        while True:
            end = self._buffer.find(b"\n")
            if 0 <= end < MAX_LINE:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if end >= MAX_LINE or len(self._buffer) >= MAX_LINE:
                self.close()
                raise Oversized("a reply line", MAX_LINE)
            self._receive(received + len(self._buffer))

    def _receive(self, received: int) -> None:
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        self.sock.settimeout(self._left("reply", received))
        try:
            chunk = self.sock.recv(4096)
        except TimeoutError:
            raise self._stalled("reply", received) from None
        except OSError as error:
            self.close()
            raise smtplib.SMTPServerDisconnected(
                f"the connection broke ({error.strerror or error})"
            ) from None
        if not chunk:
            self.close()
            raise smtplib.SMTPServerDisconnected("the server closed the connection")
        self._buffer += chunk

    def starttls(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """smtplib's, with the TLS handshake held to the deadline too."""
        if self.sock is not None:
            self.sock.settimeout(self._left("connect"))
        try:
            reply: tuple[int, bytes] = super().starttls(*args, **kwargs)
        except TimeoutError:
            raise self._stalled("connect", 0) from None
        return reply

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        """smtplib's DATA, noting when the whole message has been handed over."""
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = msg.encode("ascii") if isinstance(msg, str) else bytes(msg)
        body = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r\n|\r|\n", b"\r\n", body))
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.deadline.extend(len(body) / MIN_RATE)
        self.send(body + b".\r\n")
        self.body_sent = True
        return self.getreply()

    def _left(self, stage: str, received: int = 0) -> float:
        left = self.deadline.remaining()
        if left <= 0:
            raise self._stalled(stage, received)
        return left

    def _stalled(self, stage: str, received: int) -> Stalled:
        self.close()
        return Stalled(stage, time.monotonic() - self._waiting_since, received)


class BoundedSMTP_SSL(BoundedSMTP, smtplib.SMTP_SSL):
    """smtplib.SMTP_SSL (implicit TLS) under one deadline and reply limits."""
