"""A workspace's briefgen.toml travels in git: it cannot send the user's SMTP password to a
server of its choosing. The password goes only to a host the user named themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_deliver
from test_deliver import SENDER, config, mail

from briefgen.deliver import transport
from briefgen.errors import BriefgenError

built, ws = test_deliver.built, test_deliver.ws  # fixtures: the sample workspace, built
pytestmark = pytest.mark.usefixtures("ws")

FOREIGN = {"host": "smtp.elsewhere.invalid", "port": 587, "user": "desk"}


@pytest.fixture(autouse=True)
def own_config(ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user config folder, and a password in the environment."""
    folder = tmp_path / "xdg"
    (folder / "briefgen").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "hunter2")
    monkeypatch.delenv("BRIEFGEN_SMTP_HOST", raising=False)
    return folder / "briefgen" / "briefgen.toml"


def test_a_workspace_cannot_send_the_password_to_its_own_server() -> None:
    cfg = config(smtp=FOREIGN, mail={"from": SENDER})
    with pytest.raises(BriefgenError) as error:
        mail(to=["ann@example.org"], send=True, config=cfg)
    message = str(error.value)
    assert "smtp.elsewhere.invalid" in message
    assert "trusted_hosts" in message and "nothing was sent" in message
    assert "hunter2" not in message


def test_a_server_the_user_trusts_gets_the_password(own_config: Path) -> None:
    own_config.write_text('[smtp]\ntrusted_hosts = ["SMTP.elsewhere.invalid"]\n')
    cfg = config(smtp=FOREIGN)
    transport.refuse_untrusted_host(cfg, transport.server(cfg))  # no error


def test_a_host_named_in_the_environment_is_the_users_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFGEN_SMTP_HOST", "smtp.elsewhere.invalid")
    cfg = config(smtp=FOREIGN)
    transport.refuse_untrusted_host(cfg, transport.server(cfg))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_this_machine_is_always_trusted(host: str) -> None:
    cfg = config(smtp={**FOREIGN, "host": host})
    transport.refuse_untrusted_host(cfg, transport.server(cfg))


def test_a_name_that_merely_resolves_to_this_machine_is_not_trusted() -> None:
    cfg = config(smtp={**FOREIGN, "host": "127.0.0.1.nip.io"})
    with pytest.raises(BriefgenError, match="trusted_hosts"):
        transport.refuse_untrusted_host(cfg, transport.server(cfg))
