"""`briefgen mail --send` against SMTP servers that misbehave, each a real server on
127.0.0.1 written here (a thread, a listening socket, a script of what it says).

What must hold, whatever the server does (issue 13, "Mail under bad servers"): one
deadline per attempt that a slow server cannot stretch; a reply that cannot grow without
end; no second try once the whole message has gone out with no verdict (it may have been
delivered, and the message says so instead of inviting another try); a silent server
reported as silent, not as having hung up; a size refusal reported as one. The servers
count what they sent and received, so each test asserts what the client did (stopped
reading, connected once, sent DATA once), not how long it took.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import test_deliver
from test_deliver import SENDER, Sleeps, config, mail, server_tls

from briefgen.errors import BriefgenError

certificate = test_deliver.certificate  # fixture: a self-signed certificate for 127.0.0.1
built, ws = test_deliver.built, test_deliver.ws  # fixtures: the sample workspace, built
pytestmark = pytest.mark.usefixtures("ws")  # a copy of the built sample workspace, as cwd

Script = Callable[["Session"], None]


@dataclass
class Record:
    """What the server saw, over all its connections."""

    connections: int = 0
    commands: list[str] = field(default_factory=list)
    bodies: int = 0
    """Messages received whole (up to the lone "." line)."""
    sent: int = 0
    """Bytes the server managed to send before the client went away."""
    client_left: bool = False


class Session:
    """One connection: the script reads commands and writes replies through this."""

    def __init__(self, conn: socket.socket, record: Record) -> None:
        self.conn, self.record = conn, record
        self.reader = conn.makefile("rb")

    def say(self, data: bytes) -> None:
        self.conn.sendall(data)
        self.record.sent += len(data)

    def command(self) -> str:
        line = self.reader.readline(10_000)
        if not line:
            raise ConnectionError("the client left")
        verb = line.decode("ascii", "replace").split(" ", 1)[0].strip().upper()
        self.record.commands.append(verb)
        return verb

    def body(self) -> None:
        """Read the message up to its lone dot."""
        while True:
            line = self.reader.readline(1_000_000)
            if not line:
                raise ConnectionError("the client left during DATA")
            if line == b".\r\n":
                self.record.bodies += 1
                return

    def converse(self, answers: dict[str, bytes], greet: bool = True) -> str:
        """Greet, then answer each command from `answers` (a plain 250 otherwise) until
        one is not in it; return that one."""
        if greet:
            self.say(b"220 bad.example ESMTP\r\n")
        while True:
            verb = self.command()
            if verb == "EHLO":
                self.say(answers.get("EHLO", b"250-bad.example\r\n250 8BITMIME\r\n"))
            elif verb in answers:
                self.say(answers[verb])
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.say(b"250 OK\r\n")
            else:
                return verb


@contextlib.contextmanager
def bad_server(script: Script) -> Iterator[tuple[int, Record]]:
    """A server on a free port of 127.0.0.1 running `script` for each connection."""
    record = Record()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        threads = []
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            record.connections += 1
            thread = threading.Thread(target=_run, args=(script, conn, record), daemon=True)
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(10)

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield listener.getsockname()[1], record
    finally:
        stop.set()
        server.join(15)
        listener.close()


def _run(script: Script, conn: socket.socket, record: Record) -> None:
    session = Session(conn, record)
    try:
        script(session)
    except OSError:  # the client went away: what these tests want to see
        record.client_left = True
    finally:
        conn.close()


def send_to(port: int, timeout: float = 1.0, security: str = "none", **kwargs) -> object:
    """`mail --send` to the server on `port` (no TLS unless asked: loopback only)."""
    cfg = config(
        smtp={"host": "127.0.0.1", "port": port, "security": security, "timeout": timeout},
        mail={"from": SENDER},
    )
    return mail(to=["ann@example.org"], send=True, config=cfg, **kwargs)


# --- the servers ------------------------------------------------------------------------


def drip(session: Session) -> None:
    """A greeting one byte at a time, 0.1 s apart: 60 s for the whole of it."""
    for byte in b"220-" + b"x" * 596 + b"\r\n":
        session.say(bytes([byte]))
        time.sleep(0.1)


def drip_after_starttls(context: ssl.SSLContext) -> Script:
    """STARTTLS done right, then the EHLO reply over TLS one byte at a time."""

    def script(session: Session) -> None:
        verb = session.converse({"EHLO": b"250-bad.example\r\n250 STARTTLS\r\n"})
        assert verb == "STARTTLS"
        session.say(b"220 2.0.0 go ahead\r\n")
        session.conn = context.wrap_socket(session.conn, server_side=True)
        session.reader = session.conn.makefile("rb")
        session.command()
        drip(session)

    return script


def endless_ehlo(session: Session) -> None:
    """EHLO answered with continuation lines that never end."""
    session.say(b"220 bad.example ESMTP\r\n")
    session.command()
    line = b"250-" + b"X" * 60 + b"\r\n"
    for _ in range(2_000_000):  # 128 MB, were the client to keep reading
        session.say(line * 64)


def silent(session: Session) -> None:
    """Accepts the connection and never says a word."""
    session.conn.recv(1)  # until the client leaves


def close_after_data(session: Session) -> None:
    """A normal conversation, until the whole message is in: then it hangs up."""
    session.converse({"DATA": b"354 go ahead\r\n"})
    session.body()


def silent_after_data(session: Session) -> None:
    """Takes the whole message, then never gives its verdict."""
    close_after_data(session)
    session.conn.recv(1)  # until the client leaves


def turn_away(session: Session) -> None:
    session.say(b"554 5.7.1 No mail from you\r\n")


def busy(session: Session) -> None:
    session.say(b"421 4.3.2 Too busy, come back later\r\n")


def refuse_size_at_mail(session: Session) -> None:
    session.converse({"MAIL": b"552 5.3.4 Message size exceeds fixed maximum message size\r\n"})


def small_size(session: Session) -> None:
    session.converse({"EHLO": b"250-bad.example\r\n250 SIZE 1000\r\n"})


def long_line(session: Session) -> None:
    session.say(b"220 " + b"y" * 100_000 + b"\r\n")


# --- the tests --------------------------------------------------------------------------


def test_a_server_sending_a_byte_at_a_time_cannot_stretch_the_deadline() -> None:
    with bad_server(drip) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, timeout=1.0)
    message = str(error.value)
    assert "answered too slowly" in message and "Nothing was sent" in message
    assert "[smtp] timeout = 1 s" in message
    assert record.connections == 1  # not tried again
    assert record.client_left and record.sent < 100  # the greeting had 600 bytes to go


def test_the_deadline_holds_over_tls_too(certificate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    script = drip_after_starttls(server_tls(certificate))
    with bad_server(script) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, timeout=2.0, security="starttls")
    assert "answered too slowly" in str(error.value)
    assert record.commands == ["EHLO", "STARTTLS", "EHLO"]
    assert record.connections == 1 and record.client_left


def test_an_endless_ehlo_reply_is_cut_off() -> None:
    with bad_server(endless_ehlo) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, timeout=20.0)
    message = str(error.value)
    assert "a reply over 32,768 bytes" in message and "stopped reading" in message
    assert record.connections == 1 and record.client_left
    assert record.sent < 20_000_000  # the client stopped; kernel buffers hold the rest


def test_a_reply_line_without_end_is_cut_off() -> None:
    refused = pytest.raises(BriefgenError, match="a reply line over 2,048 bytes")
    with bad_server(long_line) as (port, record), refused:
        send_to(port)
    assert record.connections == 1


def test_a_server_that_never_answers_is_reported_as_silent() -> None:
    sleeps = Sleeps()
    with bad_server(silent) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, timeout=1.0, sleep=sleeps)
    message = str(error.value)
    assert "did not answer within 1 s" in message
    assert "closed the connection" not in message
    assert record.connections == 1 and sleeps == []


def test_no_second_try_once_the_message_went_out_without_a_verdict() -> None:
    sleeps = Sleeps()
    with bad_server(close_after_data) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, sleep=sleeps)
    message = str(error.value)
    assert "may have been delivered" in message
    assert "check with the recipients before sending again" in message
    assert "try again" not in message.lower().replace("did not retry", "")
    assert record.bodies == 1 and record.commands.count("DATA") == 1
    assert record.connections == 1 and sleeps == []


def test_no_verdict_after_the_message_is_not_a_second_try_either() -> None:
    sleeps = Sleeps()
    with bad_server(silent_after_data) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, sleep=sleeps)
    message = str(error.value)
    assert "the whole message was sent, then no reply came within" in message
    assert "may have been delivered" in message
    assert record.bodies == 1 and record.connections == 1 and sleeps == []


def test_a_refusing_greeting_is_final_and_a_busy_one_is_retried() -> None:
    with bad_server(turn_away) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port)
    assert "turned the connection away (554 5.7.1 No mail from you)" in str(error.value)
    assert record.connections == 1 and record.commands == []
    sleeps = Sleeps()
    with bad_server(busy) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port, sleep=sleeps)
    assert "after 3 attempts" in str(error.value) and "421 4.3.2" in str(error.value)
    assert record.connections == 3 and len(sleeps) == 2


def test_552_at_mail_from_is_a_size_refusal() -> None:
    with bad_server(refuse_size_at_mail) as (port, record), pytest.raises(BriefgenError) as error:
        send_to(port)
    message = str(error.value)
    assert "refused the message for its size" in message and "552 5.3.4" in message
    assert "--attach pdf" in message and "sender" not in message
    assert record.bodies == 0 and record.connections == 1


def test_a_message_over_the_announced_size_is_not_sent() -> None:
    refused = pytest.raises(BriefgenError, match="takes messages of up to 1,000 bytes")
    with bad_server(small_size) as (port, record), refused:
        send_to(port)
    assert "MAIL" not in record.commands and record.bodies == 0


def test_the_command_line_reports_a_bad_server_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    with bad_server(close_after_data) as (port, record):
        env = {"HOST": "127.0.0.1", "PORT": str(port), "SECURITY": "none", "FROM": SENDER}
        for key, value in env.items():
            monkeypatch.setenv(f"BRIEFGEN_SMTP_{key}", value)
        result = CliRunner().invoke(
            main, ["mail", "sources/nk-russia/2025-W04.yaml", "--to", "a@example.org", "--send"]
        )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "may have been delivered" in result.output
    assert record.bodies == 1 and record.connections == 1
