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
on the code path that writes a PDF. Run before the ledger is attached and before signing.
"""

from __future__ import annotations

import io
from typing import Any


def finish(pdf_bytes: bytes) -> bytes:
    """`pdf_bytes` with its running header and footer as artifacts and every table header
    cell scoped; a PDF without a structure tree is returned as it is."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return pdf_bytes
        tagged = tagged_content(pdf.Root.StructTreeRoot)
        for page in pdf.pages:
            _untagged_as_artifacts(pdf, page, tagged)
        _scope_headers(pdf.Root.StructTreeRoot)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def tagged_content(root: Any) -> set[tuple[tuple[int, int], int]]:
    """(page object, MCID) of every marked content the structure tree reaches."""
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
        stack.extend((kid, page) for kid in _kids(node))
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


def _is_array(node: Any) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Array)


def _untagged_as_artifacts(pdf: Any, page: Any, tagged: set[tuple[tuple[int, int], int]]) -> None:
    """Rewrite the page's marked content that the tree does not reach as pagination
    artifacts, and drop those MCIDs from the parent tree."""
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
    if not orphans:
        return
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
    _forget(pdf, page, orphans)


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


def _scope_headers(root: Any) -> None:
    """Give every /TH without a /Scope the one HTML gives a header without `scope`."""
    import pikepdf

    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        items = _kids(node)
        if node.get("/S") == "/TR":
            _scope_row([kid for kid in items if isinstance(kid, pikepdf.Dictionary)])
        stack.extend(items)


def _scope_row(cells: list[Any]) -> None:
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
