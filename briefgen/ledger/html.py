"""The ledger in an HTML brief: a `<script type="application/json">` before `</body>`.

Browsers neither run nor show it. The JSON is written with `<`, `>` and `&` escaped as
\\u003c … so that no note can close the script element early.
"""

from __future__ import annotations

import re

from briefgen.ledger import Ledger

ELEMENT_ID = "briefgen-ledger"


def script(ledger: Ledger) -> bytes:
    text = ledger.bundle().decode("utf-8")
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return (f'<script type="application/json" id="{ELEMENT_ID}">{text}</script>\n').encode()


def embed(html: bytes, ledger: Ledger) -> bytes:
    """`html` with the ledger's script before its last `</body>` (or at its end)."""
    ends = list(re.finditer(rb"</body\s*>", html, re.IGNORECASE))
    at = ends[-1].start() if ends else len(html)
    return html[:at] + script(ledger) + html[at:]
