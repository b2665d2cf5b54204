"""PDFs of the archive (Jinja templates, WeasyPrint, DejaVu Sans): the inventory (opis) of a year and kind, and
the acts selecting files for destruction or for transfer to state storage.

- an inventory lists its files by their inventory numbers (1..n) with title, start and end dates, pages and
  retention, then the closing statement (how many files, numbered from 1 to n, how many pages) and who
  compiled, approved and accepted it; a draft is marked as such (its numbers may still change);
- an act lists its files by position with the nomenclature index, title, year, pages, retention and the day
  each fell due, the totals, and the approval; an act not yet approved says so in its heading, because
  nothing may be removed before approval.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from weasyprint import HTML

from service.archive.acts import act_out
from service.archive.inventories import inventory_out
from service.documents.content import university
from service.models import ArchiveAct, ArchiveInventory

ACT_TITLES = {
    "destruction": "Act on the selection for destruction of documents whose retention has expired",
    "transfer": "Act on the transfer of documents of permanent retention to state storage",
}


def _common() -> dict[str, Any]:
    return {"university": university()["en"]}


def inventory_html(row: ArchiveInventory) -> str:
    """The inventory as HTML (what its PDF is rendered from)."""
    data = inventory_out(row, lines=True)
    return render_template("archive/inventory.html", inventory=data, **_common())


def inventory_pdf(row: ArchiveInventory) -> bytes:
    """The inventory (opis) as a PDF."""
    return bytes(HTML(string=inventory_html(row)).write_pdf())


def act_html(act: ArchiveAct) -> str:
    """The act as HTML (what its PDF is rendered from)."""
    data = act_out(act, items=True)
    pages = sum(i["pages"] for i in data["items"])
    return render_template("archive/act.html", act=data, title=ACT_TITLES[act.kind], pages=pages, **_common())


def act_pdf(act: ArchiveAct) -> bytes:
    """The act of destruction or transfer as a PDF."""
    return bytes(HTML(string=act_html(act)).write_pdf())
