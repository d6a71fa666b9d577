"""`briefgen source add`: a document in, its text under `texts/` and its entry in sources.yaml.

Nothing is written until everything is known: the document read, its text extracted,
the metadata complete (found or given by flags), the text not registered already, and
the new entry valid as the registry's own model reads it. Then the text and the registry
are written together (output.write_all), so a failure leaves both as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from briefgen.caps import Limits, limits
from briefgen.errors import BriefgenError, display_path
from briefgen.intake import register
from briefgen.intake.extract import KINDS, Extracted, extract, kind_of
from briefgen.intake.fetch import MAX_BYTES, fetch
from briefgen.intake.metadata import FIELDS, Found, without_site
from briefgen.load import Loaded, NotRegularFile, TooBig, read_regular
from briefgen.models import Source
from briefgen.output import write_all
from briefgen.workspace import REGISTRY

MAX_FILE_BYTES = 50_000_000
"""The largest saved document read (a long PDF report with images)."""


@dataclass(frozen=True)
class AddRequest:
    """What the analyst asked for: the topic folder, the document, and any overrides."""

    topic_dir: Path
    what: str
    overrides: dict[str, str] = field(default_factory=dict)
    update: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Added:
    """What was done, for the report: the id, the files, and the metadata with its origin."""

    source_id: str
    text: Path
    registry: Path
    found: Found
    sha256: str
    updated: bool
    lines: int
    inferred: str | None


def add_source(request: AddRequest) -> Added:
    """Register the document; BriefgenError (nothing written) when it cannot be."""
    caps = limits(request.topic_dir.parent.parent)
    extracted = _read(request)
    found = extracted.found
    title, publisher = found.get("title"), found.get("publisher")
    if title and publisher:
        found.values["title"] = without_site(title, publisher)
    found = _with_overrides(found, request.overrides)
    data = extracted.text.encode("utf-8")
    if (too_big := caps.text_problem(request.what, len(data))) is not None:
        raise BriefgenError(f"{too_big} (the text extracted from it); nothing was written")
    digest = register.sha256_of(data)
    registry = request.topic_dir / REGISTRY
    loaded, entries = register.read_entries(registry)
    if request.update is not None and request.update not in {e.id for e in entries}:
        known = ", ".join(e.id for e in entries[-5:]) or "none yet"
        raise BriefgenError(
            f"{display_path(registry)}: no source {request.update!r} to update "
            f"(the last ids: {known}); give an id from sources.yaml"
        )
    _refuse_duplicate(registry, entries, request, digest, caps)
    if request.update is not None and loaded is not None:  # loaded: the id was found
        return _update(request, extracted, found, digest, loaded, entries)
    return _append(request, extracted.text, found, digest, entries, caps)


def _read(request: AddRequest) -> Extracted:
    """Fetch or read the document and extract it."""
    what = request.what
    if what.lower().startswith(("http://", "https://")):
        return _fetched(what, request.max_bytes)
    if "://" in what or what.lower().startswith(("file:", "data:", "ftp:")):
        raise BriefgenError(
            f"{what[:200]}: only http:// and https:// addresses are fetched; for a file on "
            "this computer give its path"
        )
    path = Path(what)
    if (kind := kind_of(path.name)) is None:
        accepted = ", ".join(sorted(KINDS))
        raise BriefgenError(
            f"{what}: cannot tell what kind of document this is from its name; "
            f"give a file ending in one of {accepted}, or an http(s):// address"
        )
    return extract(_file_bytes(path), kind, display_path(path))


def _fetched(url: str, max_bytes: int) -> Extracted:
    """The page at `url`, with the address it finally came from as its `url`."""
    page = fetch(url, max_bytes=max_bytes)
    kind = kind_of(page.url, page.content_type) or "html"
    extracted = extract(page.body, kind, page.url, page.charset)
    extracted.found.values.pop("url", None)
    extracted.found.where.pop("url", None)
    extracted.found.offer("url", page.url, "the address fetched (after any redirects)")
    return extracted


def _file_bytes(path: Path) -> bytes:
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except TooBig as error:
        raise BriefgenError(
            f"{display_path(path)}: {error.size / 1e6:.1f} MB, over the "
            f"{MAX_FILE_BYTES / 1e6:g} MB a document may be; save the part you need"
        ) from None
    except NotRegularFile:
        raise BriefgenError(
            f"{display_path(path)}: not a regular file; give a saved document"
        ) from None
    except OSError as error:
        raise BriefgenError(
            f"{display_path(path)}: cannot read it: {error.strerror or error}; check the path"
        ) from None


def _with_overrides(found: Found, overrides: dict[str, str]) -> Found:
    """The metadata with each flag the analyst gave in place of what was found."""
    for name, value in overrides.items():
        if value is not None:
            found.values[name] = value
            found.where[name] = f"--{name}"
    return found


def _refuse_duplicate(
    registry: Path,
    entries: list[register.Entry],
    request: AddRequest,
    digest: str,
    caps: Limits,
) -> None:
    hashes = register.text_hashes(request.topic_dir, entries, caps.text_bytes)
    by_id = {entry.id: entry for entry in entries}
    for source_id, known in hashes.items():
        if known != digest:
            continue
        line = by_id[source_id].line
        if source_id == request.update:
            raise BriefgenError(
                f"{display_path(registry)}:{line}: {source_id}: the text of {request.what} is "
                "the one on file already; nothing to update"
            )
        raise BriefgenError(
            f"{display_path(registry)}:{line}: {request.what} is already registered as "
            f"{source_id!r} (same text, sha256 {digest[:12]}…); cite {source_id}, or give "
            f"--update {source_id} to record a new version of it"
        )


def _missing(found: Found, what: str) -> None:
    """Refuse when the registry would lack a title or a publisher: say which flag gives it."""
    for name in ("title", "publisher"):
        if not found.get(name):
            raise BriefgenError(
                f'{what}: no {name} found in it; give one with --{name} "..." (nothing was written)'
            )


def _append(
    request: AddRequest,
    text: str,
    found: Found,
    digest: str,
    entries: list[register.Entry],
    caps: Limits,
) -> Added:
    _missing(found, request.what)
    inferred = None
    published = found.get("published")
    if not published:
        published = request.today.isoformat()
        inferred = (
            f"no publication date found in the document; placed at the day it was "
            f"registered ({published}); write the source's own date if you find it"
        )
    day = published[:10] if len(published) >= 10 else published
    source_id = register.propose_id(found.values["publisher"], day, {e.id for e in entries})
    path = register.text_path(request.topic_dir, source_id)
    fields = {"id": source_id, "title": found.values["title"]}
    fields["publisher"] = found.values["publisher"]
    fields |= {k: found.values[k] for k in ("author",) if found.get(k)}
    fields["published"] = published
    if inferred:
        fields["published_inferred"] = inferred
    fields |= {k: found.values[k] for k in ("url",) if found.get(k)}
    relative = path.relative_to(request.topic_dir).as_posix()
    fields |= {"text": relative, "sha256": digest, "accessed": request.today.isoformat()}
    _validate(fields, request.what, caps)
    registry = request.topic_dir / REGISTRY
    before = registry.read_text(encoding="utf-8") if registry.exists() else ""
    after = register.appended(before, register.entry_block(fields))
    register.check_appended(after, len(entries), source_id, registry)
    write_all({path: text.encode("utf-8"), registry: after.encode("utf-8")})
    return Added(source_id, path, registry, found, digest, False, text.count("\n"), inferred)


def _validate(fields: dict[str, str], what: str, caps: Limits) -> None:
    """The entry as the registry's model reads it: a bad --published or --url is refused
    here, before anything is written, not by the next `check`."""
    try:
        Source.model_validate(fields, context={"limits": caps})
    except ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: "
            + e["msg"].removeprefix("Value error, ")
            for e in error.errors(include_url=False)
        )
        raise BriefgenError(
            f"{what}: the entry would not be valid: {reasons}; fix the flag"
        ) from None


def _update(
    request: AddRequest,
    extracted: Extracted,
    found: Found,
    digest: str,
    loaded: Loaded,
    entries: list[register.Entry],
) -> Added:
    registry = request.topic_dir / REGISTRY
    entry = next(e for e in entries if e.id == request.update)
    path = register.text_path(request.topic_dir, entry.id)
    relative = path.relative_to(request.topic_dir).as_posix()
    changes = {"text": relative, "sha256": digest, "accessed": request.today.isoformat()}
    before = registry.read_text(encoding="utf-8")
    after = register.updated(before, loaded, entry, changes)
    write_all({path: extracted.text.encode("utf-8"), registry: after.encode("utf-8")})
    lines = extracted.text.count("\n")
    return Added(entry.id, path, registry, found, digest, True, lines, None)


def add_each(
    requests: list[AddRequest],
    say: Callable[[list[str], str], None],
    warn: Callable[[str], None],
) -> None:
    """Register each document in turn, reporting each; one that is refused (a duplicate
    in a folder of saved pages) does not stop the others, and the command fails at the
    end naming how many were refused."""
    refused = 0
    for request in requests:
        try:
            added = add_source(request)
        except BriefgenError as error:
            if len(requests) == 1:
                raise
            warn(f"Error: {error.format_message()}")
            refused += 1
            continue
        say(report(added, request.what), f"registered {added.source_id}")
    if refused:
        raise BriefgenError(
            f"{refused} of {len(requests)} documents not registered (above); the others are"
        )


def report(added: Added, what: str) -> list[str]:
    """What was found and where, what was written, and what is left to the analyst."""
    lines = [f"Read {what}:"]
    for name in FIELDS:
        value = added.found.get(name)
        where = f"  ({added.found.where[name]})" if value else ""
        lines.append(f"  {name:<10} {value or '-- not found'}{where}")
    text = display_path(added.text)
    lines.append(f"Wrote {text} ({added.lines} lines, sha256 {added.sha256[:12]}…).")
    registry = display_path(added.registry)
    if added.updated:
        lines.append(
            f"Updated {added.source_id} in {registry}: text, sha256 and accessed now name the "
            "new version (the old text file is kept); its other fields are as you wrote them."
        )
        return lines
    lines.append(f"Added {added.source_id} to {registry}.")
    if added.found.where.get("published", "").endswith("a feed"):
        lines.append(
            "It is a feed of dated items ([YYYY-MM-DD] lines in the text): to cite an item "
            "on its own date, copy the entry per item with its own id, date and 'lines:'."
        )
    if added.inferred:
        lines.append("No date found: published is today's date, marked as inferred; correct it.")
    lines.append(
        f"Left for you: 'reliability:' (A-F) on {added.source_id}; briefgen check lists "
        "sources still to grade."
    )
    return lines
