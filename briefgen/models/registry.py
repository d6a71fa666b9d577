"""A topic's source registry: each entry of `sources.yaml` (`Source`), and the entries by id
with their texts for quote checks (`Registry`)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import (
    Field,
    model_validator,
)

from briefgen.caps import Limits
from briefgen.fields import (
    Date,
    FuzzyDate,
    Lines,
    SourceId,
    Text,
    Url,
    mark_inferred,
)
from briefgen.judgments.scales import (
    Reliability,
)
from briefgen.models.base import Strict
from briefgen.quotes import Passage, QuoteIndex

# --- the source registry -------------------------------------------------------------


class Source(Strict):
    """One entry of a topic's `sources.yaml`: something the brief can cite."""

    id: Annotated[str, Field(strict=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Text
    publisher: Text
    author: Text | None = None
    published: FuzzyDate
    published_inferred: Text | None = None
    """Why an undated source was placed at `published` (then printed with a mark)."""
    url: Url | None = None
    reliability: Reliability | None = None
    """None until the analyst grades it (`source add` leaves it so): check warns, and the
    brief prints the source as not graded."""
    text: Annotated[str, Field(strict=True)] | None = None
    """Path of the source's full text, relative to the topic folder; enables quote checks."""
    lines: Lines | None = None
    """The passage of `text` this entry is (`8` or `8-12`): one item of a feed, so a quote
    is checked only within it."""
    said_by: Text | None = None
    """Who originated everything this source carries, when that is not the outlet."""
    derives_from: SourceId | None = None
    """The registered source this one relays (a wire copy): one origin, not two."""
    unidentified: Annotated[bool, Field(strict=True)] = False
    """The outlet cannot be identified from the text; graded F unless `reliability_note`."""
    reliability_note: Text | None = None
    """Why the reliability is what it is, where the scale's default reading does not say."""
    archive: Url | None = None
    """A saved copy of the page (web.archive.org, archive.today, the desk's own store)."""
    accessed: Date | None = None
    """The day the desk read or saved the source."""
    sha256: Annotated[str, Field(strict=True, pattern=r"^[0-9a-f]{64}$")] | None = None
    """The hash of `text` as registered: check warns when the file no longer matches, since
    an edited text can verify a quote against words the source never printed."""

    @property
    def grade(self) -> str:
        """The reliability grade of a source the brief cites: validation refuses a citation
        of an ungraded one, so reaching here without a grade is a bug, not a guess."""
        if self.reliability is None:
            raise ValueError(f"ungraded source {self.id!r} reached the brief")
        return self.reliability

    @model_validator(mode="after")
    def _published_mark(self) -> Source:
        mark_inferred(self, "published", self.published_inferred)
        return self

    @model_validator(mode="after")
    def _unidentified_is_f(self) -> Source:
        graded = self.reliability not in (None, "F")
        if self.unidentified and graded and self.reliability_note is None:
            raise ValueError(
                f"reliability {self.reliability} for an unidentified outlet: a source whose "
                "outlet cannot be identified is graded F (reliability cannot be judged); "
                "set 'reliability: F' or say why in 'reliability_note:'"
            )
        return self

    @model_validator(mode="after")
    def _lines_need_text(self) -> Source:
        if self.lines is not None and self.text is None:
            raise ValueError("'lines:' names a passage of 'text:', which is missing; add it")
        return self


class Registry:
    """A topic's sources by id, and their texts for quote checks."""

    def __init__(
        self,
        sources: list[Source],
        texts: Mapping[str, Passage | Path],
        broken: frozenset[str] = frozenset(),
        text_bytes: int = Limits().text_bytes,
        topic_dir: Path | None = None,
        unreadable: bool = False,
    ) -> None:
        self.sources = {source.id: source for source in sources}
        self.texts = texts
        self.quotes = QuoteIndex(texts, text_bytes, topic_dir)
        self.broken = broken
        """Ids of entries that failed validation: already reported, so citing them is not."""
        self.unreadable = unreadable
        """sources.yaml could not be read at all (reported once): no id can be checked."""

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.sources

    def __getitem__(self, source_id: str) -> Source:
        return self.sources[source_id]

    def has_text(self, source_id: str) -> bool:
        """True when the source's text is on file, so its quotes are checked."""
        return source_id in self.texts

    def unknown_id_message(self, source_id: str) -> str:
        """Say the id is unknown and name the closest known ones, since most are typos."""
        near = difflib.get_close_matches(source_id, list(self.sources), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        if not near and self.sources:
            hint = f"; known ids: {', '.join(sorted(self.sources)[:8])}"
        return f"unknown source id {source_id!r} (not in sources.yaml){hint}"
