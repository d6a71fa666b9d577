"""What WeasyPrint's tagged PDF lacks for PDF/UA-1, added to the finished PDF.

Two gaps, both of which a screen reader meets on every page:

- The running header and footer (the marking, the running title, `Page N of M`) are laid
  out in page-margin boxes, whose text WeasyPrint marks as tagged content (`/Span` with an
  MCID) but leaves out of the structure tree, where no reader finds it. PDF/UA-1 (ISO
  14289-1 §7.1, Matterhorn 01-005) wants such content either in the tree or marked as an
  artifact; pagination is the textbook artifact, so it becomes `/Artifact` (type
  /Pagination), and its orphaned MCIDs leave the parent tree.
- Table header cells carry no `/Scope` (§7.5, Matterhorn 15-003), so which cells a header
  labels is left to guesswork. Each `/TH` gets one by the HTML rule for a header with no
  scope: a row of headers labels the columns under it, a header among data cells its row.

pikepdf (already needed by the ledger) reads and rewrites the PDF; it is imported only
on the code path that writes a PDF. `fix` runs in the same pikepdf pass that attaches the
ledger (ledger/write.py), before signing.
"""

from __future__ import annotations

import re
from typing import Any

MARKED = re.compile(rb"^/([A-Za-z][A-Za-z0-9]*)\n<</MCID (\d+)>>\nBDC$", re.MULTILINE)
"""A marked-content start as WeasyPrint writes it, one token a line (`/Span`,
`<</MCID 7>>`, `BDC`); text is written as hex glyph ids, so the pattern cannot match
inside a string."""
ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC"


def fix(pdf: Any) -> None:
    """Give the open pikepdf document its running header and footer as artifacts and
    every table header cell a scope; a PDF without a structure tree is left as it is.
    The caller saves it (ledger/write.py: one pass for this and the ledger)."""
    if "/StructTreeRoot" not in pdf.Root:
        return
    rows: list[list[Any]] = []
    tagged = tagged_content(pdf.Root.StructTreeRoot, rows)
    for page in pdf.pages:
        _untagged_as_artifacts(pdf, page, tagged)
    for cells in rows:
        _scope_row(cells)


def tagged_content(
    root: Any, rows: list[list[Any]] | None = None
) -> set[tuple[tuple[int, int], int]]:
    """(page object, MCID) of every marked content the structure tree reaches; the
    cells of each table row go to `rows` if given (one walk of the tree serves both)."""
    found: set[tuple[tuple[int, int], int]] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, Any]] = [(root, None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, int) or _is_integer(node):
            if page is not None:
                found.add((page.objgen, int(node)))
            continue
        if not hasattr(node, "get") or node.get("/Type") == "/OBJR":
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        page = node.get("/Pg", page)
        if node.get("/Type") == "/MCR":
            found.add((node.get("/Pg", page).objgen, int(node.MCID)))
            continue
        kids = _kids(node)
        if rows is not None and node.get("/S") == "/TR":
            rows.append([kid for kid in kids if _is_dictionary(kid)])
        stack.extend((kid, page) for kid in kids)
    return found


def _kids(node: Any) -> list[Any]:
    """A structure element's /K as a list: an array's items, one kid, or none."""
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if _is_array(kids) else [kids]


def _is_integer(node: Any) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Object) and node._type_code == pikepdf.ObjectType.integer


def _is_dictionary(node: Any) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Dictionary)


def _is_array(node: Any) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Array)


def _untagged_as_artifacts(pdf: Any, page: Any, tagged: set[tuple[tuple[int, int], int]]) -> None:
    """Rewrite the page's marked content that the tree does not reach as pagination
    artifacts, and drop those MCIDs from the parent tree."""
    found = _rewritten_bytes(page, tagged)
    if found is None:
        found = _rewritten_parsed(page, tagged)
    data, orphans = found
    if not orphans:
        return
    page.obj.Contents = pdf.make_stream(data)
    _forget(pdf, page, orphans)


def _rewritten_bytes(
    page: Any, tagged: set[tuple[tuple[int, int], int]]
) -> tuple[bytes, list[int]] | None:
    """The page's content with its orphaned marked content rewritten, working on the bytes
    (a tenth of parsing them), or None if the stream is not as WeasyPrint writes it (one
    stream, every BDC in MARKED's form): then the parsed way below does it."""
    import pikepdf

    contents = page.obj.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return None
    data = contents.read_bytes()
    if len(MARKED.findall(data)) != data.count(b"BDC"):
        return None
    orphans: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        mcid = int(match[2])
        if (page.obj.objgen, mcid) in tagged:
            return match[0]
        orphans.append(mcid)
        return ARTIFACT

    return MARKED.sub(replace, data), orphans


def _rewritten_parsed(
    page: Any, tagged: set[tuple[tuple[int, int], int]]
) -> tuple[bytes, list[int]]:
    """The same through pikepdf's content-stream parser, for any other stream."""
    import pikepdf

    orphans: list[int] = []
    ops: list[Any] = []
    for instruction in pikepdf.parse_content_stream(page):
        mcid = _mcid(instruction)
        if mcid is not None and (page.obj.objgen, mcid) not in tagged:
            orphans.append(mcid)
            pagination = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
            instruction = pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Artifact, pagination], pikepdf.Operator("BDC")
            )
        ops.append(instruction)
    return pikepdf.unparse_content_stream(ops), orphans


def _mcid(instruction: Any) -> int | None:
    """The MCID a `/Tag <</MCID n>> BDC` opens, else None (inline images included)."""
    import pikepdf

    if not isinstance(instruction, pikepdf.ContentStreamInstruction):
        return None
    operands = instruction.operands
    if str(instruction.operator) != "BDC" or len(operands) != 2:
        return None
    props = operands[1]
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        return int(props.MCID)
    return None


def _forget(pdf: Any, page: Any, mcids: list[int]) -> None:
    """The parent tree's entries for `mcids` of this page set to null: no structure
    element claims an artifact."""
    import pikepdf

    index = page.obj.get("/StructParents")
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    if index is None or tree is None:
        return
    nums = tree.get("/Nums", pikepdf.Array())
    for position in range(0, len(nums) - 1, 2):
        if int(nums[position]) == int(index) and _is_array(nums[position + 1]):
            entries = nums[position + 1]
            for mcid in mcids:
                if mcid < len(entries):
                    entries[mcid] = None


def _scope_row(cells: list[Any]) -> None:
    """Give every /TH of the row without a /Scope the one HTML gives a header without
    `scope`: a row of headers labels the columns under it, a header among data cells its row."""
    import pikepdf

    all_headers = all(cell.get("/S") == "/TH" for cell in cells)
    for cell in cells:
        if cell.get("/S") != "/TH":
            continue
        attributes = cell.get("/A")
        if attributes is None:
            attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
        if isinstance(attributes, pikepdf.Dictionary) and "/Scope" not in attributes:
            attributes.Scope = pikepdf.Name.Column if all_headers else pikepdf.Name.Row
