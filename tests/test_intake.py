"""`briefgen source add`: real documents in (saved pages, a PDF made by WeasyPrint, a Word
file, a forwarded mail, pages served on 127.0.0.1), the stored text and the registry entry
read back, and what is refused (duplicates, a redirect to file:, a page over the cap)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner, Result

from briefgen.cli import main
from briefgen.validate import load_registry
from conftest import DATA, edit

PAGES = DATA / "intake"
ARTICLE_ID = "harbour-times-2025-02-11"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def registry_text(workspace: Path) -> str:
    return (workspace / "sources" / "demo" / "sources.yaml").read_text(encoding="utf-8")


def entry(workspace: Path, source_id: str) -> dict[str, object]:
    """The entry as YAML reads it back from sources.yaml."""
    items = yaml.safe_load(registry_text(workspace))
    found: dict[str, object] = next(i for i in items if i["id"] == source_id)
    return found


def stored(workspace: Path, source_id: str) -> str:
    text = entry(workspace, source_id)["text"]
    assert isinstance(text, str)
    return (workspace / "sources" / "demo" / text).read_text(encoding="utf-8")


# --- a news article ----------------------------------------------------------------------


def test_article_text_metadata_and_entry(workspace: Path) -> None:
    before = registry_text(workspace)
    result = run("source", "add", "demo", PAGES / "article.html")
    assert result.exit_code == 0, result.output
    assert "2025-02-11  (JSON-LD NewsArticle datePublished)" in result.output
    assert "Min-ji Park  (JSON-LD NewsArticle author)" in result.output
    after = registry_text(workspace)
    assert after.startswith(before)  # the analyst's file, comments and all, as it was
    new = entry(workspace, ARTICLE_ID)
    assert new["title"] == (
        "North Korean troops pulled from Kursk front after heavy losses, Seoul says"
    )
    assert new["publisher"] == "The Harbour Times"
    assert new["author"] == "Min-ji Park"
    assert new["published"] == dt.date(2025, 2, 11)
    assert new["url"] == "https://www.harbourtimes.example/world/2025/02/11/nk-troops-kursk"
    assert dt.timedelta(0) <= dt.date.today() - new["accessed"] <= dt.timedelta(days=1)  # midnight
    assert "reliability" not in new
    text = stored(workspace, ARTICLE_ID)
    assert "about 300 North Korean soldiers had been killed and 2,700 wounded" in text
    for chrome in ("cookies", "Subscribe", "All rights reserved", "Related stories", "Politics"):
        assert chrome not in text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert new["sha256"] == digest
    registry, problems = load_registry(workspace / "sources" / "demo")
    assert problems == []
    assert registry[ARTICLE_ID].reliability is None
    assert registry.has_text(ARTICLE_ID)


def test_check_names_the_source_still_to_grade(workspace: Path) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.output
    assert f"'{ARTICLE_ID}' has no reliability grade yet" in result.stderr
    assert "sources.yaml:" in result.stderr
    assert run("check", "--strict").exit_code == 1


def test_citing_an_ungraded_source_is_refused_at_the_citation(
    workspace: Path, edition: Path
) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    edit(edition, "cite: [reaction-2025-01-13, desk-memo]", f"cite: [{ARTICLE_ID}]")
    result = run("check")
    assert result.exit_code == 1
    assert f"2025-W03.yaml:8: key_judgments[0].cite[0].source: source '{ARTICLE_ID}'" in (
        result.output
    )
    assert "no reliability grade yet" in result.output


def test_flags_override_what_was_found(workspace: Path) -> None:
    result = run(
        "source", "add", "demo", PAGES / "article.html",
        "--title", "Kursk: troops # pulled 'back'", "--publisher", "Harbour Times Weekly",
        "--author", "Desk", "--published", "2025-02", "--url", "https://example.org/a?b=1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Kursk: troops # pulled 'back'  (--title)" in result.output
    new = entry(workspace, "harbour-times-weekly-2025-02")
    assert new["title"] == "Kursk: troops # pulled 'back'"
    assert new["author"] == "Desk"
    assert new["published"] == "2025-02"
    assert new["url"] == "https://example.org/a?b=1"
    assert run("check").exit_code == 0


def test_a_bad_flag_is_refused_before_anything_is_written(workspace: Path) -> None:
    before = registry_text(workspace)
    result = run("source", "add", "demo", PAGES / "article.html", "--published", "2025-13-40")
    assert result.exit_code == 1
    assert "published" in result.output and "Traceback" not in result.output
    assert registry_text(workspace) == before
    assert not (workspace / "sources" / "demo" / "texts" / f"{ARTICLE_ID}.txt").exists()


def test_same_text_is_refused_naming_the_id(workspace: Path, tmp_path: Path) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    before = registry_text(workspace)
    copy = tmp_path / "saved-again.htm"
    shutil.copy(PAGES / "article.html", copy)
    result = run("source", "add", "demo", copy)
    assert result.exit_code == 1
    assert f"already registered as '{ARTICLE_ID}'" in result.output
    assert f"--update {ARTICLE_ID}" in result.output
    assert registry_text(workspace) == before
    assert sorted(p.name for p in (workspace / "sources/demo/texts").iterdir()) == [
        f"{ARTICLE_ID}.txt",
        "reaction.txt",
    ]


def test_a_hand_registered_text_counts_as_registered(workspace: Path, tmp_path: Path) -> None:
    page = tmp_path / "reaction.txt"
    shutil.copy(workspace / "sources/demo/texts/reaction.txt", page)
    result = run("source", "add", "demo", page, "--publisher", "Reaction")
    assert result.exit_code == 1
    assert "already registered as 'reaction-2025-01-13'" in result.output


def test_proposed_id_is_made_unique(workspace: Path, tmp_path: Path) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    other = tmp_path / "follow-up.html"
    page = (PAGES / "article.html").read_text(encoding="utf-8")
    other.write_text(page.replace("about three weeks", "about four weeks"), encoding="utf-8")
    result = run("source", "add", "demo", other)
    assert result.exit_code == 0, result.output
    assert f"Added {ARTICLE_ID}-2 " in result.output
    assert "about four weeks" in stored(workspace, f"{ARTICLE_ID}-2")


# --- other shapes of page --------------------------------------------------------------


def test_feed_keeps_each_item_with_its_date(workspace: Path) -> None:
    result = run("source", "add", "demo", PAGES / "feed.html")
    assert result.exit_code == 0, result.output
    assert "the latest of 3 dated items: a feed" in result.output
    new = entry(workspace, "steppe-wire-2025-01-14")
    assert new["title"] == "North Korea in Russia's war: latest updates"  # no "| Steppe Wire"
    lines = stored(workspace, "steppe-wire-2025-01-14").splitlines()
    assert lines[0] == "[2025-01-14]"
    assert lines[1] == "Seoul: North Korean casualties rise to 3,000"
    assert "[2025-01-12]" in lines and "[2025-01-09]" in lines
    assert "Support independent journalism" not in lines


def test_page_without_a_date_is_placed_today_and_says_so(workspace: Path) -> None:
    before = dt.date.today()
    result = run("source", "add", "demo", PAGES / "nodate.html")
    after = dt.date.today()  # the run may cross midnight
    assert result.exit_code == 0, result.output
    assert "published  -- not found" in result.output
    ids = [i["id"] for i in yaml.safe_load(registry_text(workspace))]
    source_id = next(i for i in ids if i in {f"frontline-notes-{d}" for d in (before, after)})
    new = entry(workspace, source_id)
    assert new["published"] == dt.date.fromisoformat(source_id.removeprefix("frontline-notes-"))
    assert "no publication date found" in str(new["published_inferred"])
    assert "Home | Archive" not in stored(workspace, source_id)


def test_windows_1251_page_is_stored_as_utf8(workspace: Path, tmp_path: Path) -> None:
    words = "Северокорейские военные отведены с передовой в Курской области"
    page = tmp_path / "ria.html"
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"<title>{words}</title><meta property='og:site_name' content='Вести'>"
        f"<meta property='article:published_time' content='2025-02-12T10:00:00+03:00'>"
        f"</head><body><article><h1>{words}</h1><p>{words}, сообщает разведка. "
        * 3
        + "</p></article></body></html>"
    )
    page.write_bytes(html.encode("windows-1251"))
    result = run("source", "add", "demo", page)
    assert result.exit_code == 0, result.output
    new = entry(workspace, "source-2025-02-12")  # a Cyrillic name has no ASCII slug
    assert new["title"] == words
    assert new["publisher"] == "Вести"
    assert words in stored(workspace, "source-2025-02-12")


# --- PDF, Word, mail, plain text ---------------------------------------------------------

REPORT_HTML = """<html><head><title>Assessment of Foreign Forces in the Kursk Region</title>
<meta name="author" content="Ministry of Defence, Intelligence Directorate">
<meta name="dcterms.created" content="2024-12-05T09:00:00Z">
<style>@page {{ size: A4; margin: 2cm }} section {{ break-before: page }}</style></head>
<body><h1>Assessment of Foreign Forces in the Kursk Region</h1>
<p>This report summarises what is known about foreign troops in the region.</p>
{sections}</body></html>"""
PAGE_WORDS = {
    2: "Around eleven thousand soldiers arrived by rail in late October.",
    3: "Losses among the foreign contingent are assessed to exceed one thousand.",
}


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-page government report made with the project's engine (WeasyPrint)."""
    from weasyprint import HTML

    sections = "".join(
        f"<section><h2>Part {n}</h2><p>{w}</p></section>" for n, w in PAGE_WORDS.items()
    )
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    HTML(string=REPORT_HTML.format(sections=sections)).write_pdf(path)
    return path


def test_pdf_keeps_pages_and_reads_its_metadata(workspace: Path, report_pdf: Path) -> None:
    refused = run("source", "add", "demo", report_pdf)
    assert refused.exit_code == 1
    assert "no publisher found in it; give one with --publisher" in refused.output
    result = run("source", "add", "demo", report_pdf, "--publisher", "Ministry of Defence")
    assert result.exit_code == 0, result.output
    assert "(PDF info /Title)" in result.output and "(PDF info /Author)" in result.output
    new = entry(workspace, "ministry-of-defence-2024-12-05")
    assert new["title"] == "Assessment of Foreign Forces in the Kursk Region"
    assert new["author"] == "Ministry of Defence, Intelligence Directorate"
    lines = stored(workspace, "ministry-of-defence-2024-12-05").splitlines()
    for number, words in PAGE_WORDS.items():
        page_text = " ".join(lines[lines.index(f"[page {number}]") :])
        assert words in page_text
    assert lines[0] == "[page 1]"


def test_word_file(workspace: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Weekly summary: Kursk"
    document.core_properties.author = "Liaison Office"
    document.core_properties.created = dt.datetime(2025, 1, 20, 8, 0)
    document.add_paragraph("Partners report that the contingent was rotated in mid-January.")
    path = tmp_path / "summary.docx"
    document.save(str(path))
    result = run("source", "add", "demo", path, "--publisher", "Liaison Office")
    assert result.exit_code == 0, result.output
    new = entry(workspace, "liaison-office-2025-01-20")
    assert new["title"] == "Weekly summary: Kursk"
    assert "rotated in mid-January" in stored(workspace, "liaison-office-2025-01-20")


def test_forwarded_mail_is_the_forwarded_source(workspace: Path) -> None:
    result = run("source", "add", "demo", PAGES / "forwarded.eml")
    assert result.exit_code == 0, result.output
    assert "Korea Monitor Newsletter  (forwarded message From:)" in result.output
    source_id = "korea-monitor-newsletter-2025-01-15"
    new = entry(workspace, source_id)
    assert new["title"] == "Pyongyang denies casualty figures"
    text = stored(workspace, source_id)
    assert text.startswith("From: Jana Novak <jana.novak@desk.example>\n")
    assert "“a smear campaign by puppet intelligence services”" in text  # quoted-printable


def test_plain_text_needs_a_publisher_and_takes_its_first_line_as_title(
    workspace: Path, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Call with the embassy\n\nThey expect a second rotation in spring.\n")
    result = run(
        "source", "add", "demo", path, "--publisher", "Embassy", "--published", "2025-01-17"
    )
    assert result.exit_code == 0, result.output
    assert entry(workspace, "embassy-2025-01-17")["title"] == "Call with the embassy"


def test_unknown_kind_and_other_schemes_are_refused(workspace: Path, tmp_path: Path) -> None:
    odd = tmp_path / "page.xyz"
    odd.write_text("text")
    result = run("source", "add", "demo", odd)
    assert result.exit_code == 1 and "cannot tell what kind of document" in result.output
    for address in ("file:///etc/passwd", "ftp://example.org/a.txt"):
        result = run("source", "add", "demo", address)
        assert result.exit_code == 1
        assert "only http:// and https:// addresses are fetched" in result.output
        assert "root:" not in result.output


# --- URLs, against a server on 127.0.0.1 -------------------------------------------------

HUGE = 11_000_000


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/article": lambda: self._send(200, (PAGES / "article.html").read_bytes()),
            "/moved": lambda: self._redirect("/article"),
            "/passwd": lambda: self._redirect("file:///etc/passwd"),
            "/ftp": lambda: self._redirect("ftp://127.0.0.1/x"),
            "/huge": lambda: self._send(200, b"<p>" + b"x" * HUGE),
            "/endless": self._endless,
            "/gone": lambda: self._send(404, b"not here"),
        }
        routes.get(self.path, routes["/gone"])()

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client hung up at its size cap
            self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _endless(self) -> None:
        """No Content-Length: the body goes on past the cap until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(HUGE // 65536 + 2):
                self.wfile.write(b"y" * 65536)
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_is_fetched_and_its_final_address_recorded(workspace: Path, server: str) -> None:
    result = run("source", "add", "demo", f"{server}/moved")
    assert result.exit_code == 0, result.output
    assert "(the address fetched (after any redirects))" in result.output
    new = entry(workspace, ARTICLE_ID)
    assert new["url"] == f"{server}/article"
    assert "about 300 North Korean soldiers" in stored(workspace, ARTICLE_ID)


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/passwd", "redirects to 'file:///etc/passwd', which is refused"),
        ("/ftp", "redirects to 'ftp://127.0.0.1/x', which is refused"),
        ("/huge", "over the 10 MB a page may be"),
        ("/endless", "over the 10 MB a page may be"),
        ("/gone", "the server answered 404"),
    ],
)
def test_refused_fetches_write_nothing(workspace: Path, server: str, path: str, said: str) -> None:
    before = registry_text(workspace)
    result = run("source", "add", "demo", f"{server}{path}")
    assert result.exit_code == 1
    assert said in result.output
    assert "root:" not in result.output and "Traceback" not in result.output
    assert registry_text(workspace) == before
    assert [p.name for p in (workspace / "sources/demo/texts").iterdir()] == ["reaction.txt"]


def test_offline_is_a_clear_error(workspace: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("source", "add", "demo", f"http://127.0.0.1:{port}/page")
    assert result.exit_code == 1
    assert f"cannot fetch http://127.0.0.1:{port}/page: " in result.output
    assert "save the page from a browser and give the file instead" in result.output


# --- integrity ---------------------------------------------------------------------------


def test_check_warns_when_a_text_is_edited_after_registration(workspace: Path) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    text = workspace / "sources" / "demo" / "texts" / f"{ARTICLE_ID}.txt"
    edit(text, "about 300 North Korean", "about 3,000 North Korean")
    result = run("check")
    assert result.exit_code == 0, result.output
    line = next(n for n, t in enumerate(registry_text(workspace).splitlines(), 1) if "sha256:" in t)
    assert "has changed since it was registered" in result.stderr
    assert f"sources.yaml:{line}: [2].sha256:" in result.stderr
    assert f"--update {ARTICLE_ID}" in result.stderr


def test_update_records_a_new_version(workspace: Path, tmp_path: Path) -> None:
    assert run("source", "add", "demo", PAGES / "article.html").exit_code == 0
    before = registry_text(workspace).splitlines()
    old_hash = entry(workspace, ARTICLE_ID)["sha256"]
    revised = tmp_path / "revised.html"
    page = (PAGES / "article.html").read_text(encoding="utf-8")
    revised.write_text(page.replace("about 300", "about 400"), encoding="utf-8")
    result = run("source", "add", "demo", revised, "--update", ARTICLE_ID)
    assert result.exit_code == 0, result.output
    after = registry_text(workspace).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [a.split(":")[0] for a, _ in changed] == ["  text", "  sha256"]  # accessed: same day
    new = entry(workspace, ARTICLE_ID)
    assert new["text"] == f"texts/{ARTICLE_ID}.v2.txt"
    assert new["sha256"] != old_hash
    assert "about 400" in stored(workspace, ARTICLE_ID)
    assert (workspace / "sources/demo/texts" / f"{ARTICLE_ID}.txt").exists()  # kept
    check = run("check")
    assert "has changed since" not in check.stderr
    again = run("source", "add", "demo", revised, "--update", ARTICLE_ID)
    assert again.exit_code == 1 and "nothing to update" in again.output
    unknown = run("source", "add", "demo", revised, "--update", "no-such-id")
    assert unknown.exit_code == 1 and "no source 'no-such-id' to update" in unknown.output


def test_a_folder_of_saved_pages_in_one_command(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("article.html", "feed.html", "nodate.html", "forwarded.eml"):
        shutil.copy(PAGES / name, folder / name)
    shutil.copy(PAGES / "article.html", folder / "article-again.html")
    result = run("source", "add", "demo", *sorted(folder.iterdir()))
    assert result.exit_code == 1  # one duplicate refused, the others registered
    assert "already registered as 'harbour-times-2025-02-11'" in result.stderr
    assert "1 of 5 documents not registered (above); the others are" in result.stderr
    registry, problems = load_registry(workspace / "sources" / "demo")
    assert problems == []
    assert len([s for s in registry.sources.values() if s.sha256]) == 4
    both = run("source", "add", "demo", PAGES / "article.html", PAGES / "feed.html", "--title", "x")
    assert both.exit_code == 2 and "apply to one document" in both.output
