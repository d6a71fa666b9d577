"""Links that land a reader on the quoted words: URL text fragments (`#:~:text=…`).

Per the WICG Text Fragments spec, a text directive's terms may hold only unreserved
characters; everything else, and the '-', '&' and ',' that delimit the directive's own
parts, is percent-encoded. A long quote is linked as its first and last words
(textStart,textEnd), as the spec recommends: shorter URLs, and the match survives a change
in the middle (a line break, a footnote marker).
"""

from __future__ import annotations

import re
from urllib.parse import quote as percent_encode

from briefgen.quotes.folding import INVISIBLE

_SAFE = "!$'()*+./:;=?@_~"
"""The spec's text-directive-explicit-char, besides letters and digits ('-' is not)."""
_WRAPPING = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e "
_LONG_WORDS = 10
_EDGE_WORDS = 4


def _encode(term: str) -> str:
    # urllib never encodes '-', '.', '_', '~'; the spec reserves '-' for prefix-/-suffix
    return percent_encode(term, safe=_SAFE).replace("-", "%2D")


def text_fragment(quote: str) -> str:
    """`#:~:text=…` for the quote's words ("" for an empty quote): the whole quote, or for
    a quote over ten words its first four and last four as textStart,textEnd."""
    cleaned = "".join(c for c in quote if c not in INVISIBLE)
    words = re.sub(r"\s+", " ", cleaned).strip(_WRAPPING).split(" ")
    if words == [""]:
        return ""
    if len(words) > _LONG_WORDS:
        start, end = " ".join(words[:_EDGE_WORDS]), " ".join(words[-_EDGE_WORDS:])
        return f"#:~:text={_encode(start)},{_encode(end)}"
    return f"#:~:text={_encode(' '.join(words))}"
