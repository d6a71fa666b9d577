"""Ctrl-C or SIGTERM landing inside a callback Python cannot raise from (a weakref
callback during an import, a __del__) is not lost and prints no traceback."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, signal, sys, time, weakref
from briefgen import cli
sys.unraisablehook = cli._stop_again
signal.signal(signal.SIGINT, cli._stop)

class Thing:
    pass

def callback(ref):
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)  # the handler runs here, inside the callback: unraisable

thing = Thing()
ref = weakref.ref(thing, callback)
try:
    del thing
    time.sleep(3)
    print("not stopped")
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_stop_inside_a_callback_is_delivered_again_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "stopped", done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_without_the_hook_the_stop_would_be_lost() -> None:
    """The case the hook exists for: Python's own handling swallows the interrupt."""
    script = SCRIPT.replace("sys.unraisablehook = cli._stop_again\n", "")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "not stopped"
    assert "Exception ignored" in done.stderr
