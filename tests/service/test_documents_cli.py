"""``registrar documents`` and ``registrar archive``: a document issued to a PDF file (read back with pdftotext) and
verified, refusals that leave neither a document nor a file, an inventory of a year with its PDF, the files due for
destruction (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from service_testing import Api

from registrar.cli import main

Body = Callable[..., dict[str, Any]]
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"REGISTRAR_DATABASE_URL": app.config["DATABASE_URL"]})


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
                    .split())  # fmt: skip


@needs_pdftotext
def test_issue_to_a_file_and_verify(app: Flask, api: Api, student_body: Body, tmp_path: Path) -> None:
    student = api.create("/students", **student_body())
    out = tmp_path / "transcript.pdf"
    issued = run(app, "documents", "issue", str(student["id"]), "--kind", "transcript", "--language", "en",
                 "--out", str(out))  # fmt: skip
    assert issued.exit_code == 0, issued.output
    stored = api.get("/documents")["items"]
    assert len(stored) == 1 and stored[0]["issued_by"].startswith("cli:")
    number, code = stored[0]["number"], stored[0]["code"]
    assert f"issued {number} (code {code})" in issued.output
    text = pdf_text(out)
    assert "Academic transcript" in text and number in text and code in text and "Nurlanov Arman" in text
    genuine = run(app, "documents", "verify", number, code.lower())
    assert genuine.exit_code == 0 and f"{number}: genuine" in genuine.output
    wrong = run(app, "documents", "verify", number, "0000-0000-0000")
    assert wrong.exit_code == 1 and "NOT genuine" in wrong.output


def test_refusals_leave_nothing(app: Flask, api: Api, student_body: Body, tmp_path: Path) -> None:
    student = api.create("/students", **student_body())
    out = tmp_path / "ds.pdf"
    refused = run(app, "documents", "issue", str(student["id"]), "--kind", "diploma_supplement", "--out", str(out))
    assert refused.exit_code == 1 and "a diploma supplement is for graduates" in refused.output
    missing = run(app, "documents", "issue", "999999", "--kind", "transcript", "--out", str(out))
    assert missing.exit_code == 1 and "student_id: no student with id 999999" in missing.output
    bad_on = run(app, "documents", "issue", str(student["id"]), "--kind", "transcript", "--on", "2026-01-01",
                 "--out", str(out))  # fmt: skip
    assert bad_on.exit_code == 1 and "only for a study_certificate" in bad_on.output
    folder = run(app, "documents", "issue", str(student["id"]), "--kind", "transcript",
                 "--out", str(tmp_path / "nowhere" / "x.pdf"))  # fmt: skip
    assert folder.exit_code == 2 and "is not a folder" in folder.output
    assert run(app, "documents", "issue", str(student["id"]), "--kind", "transcript", "--out", "x.txt").exit_code == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert api.get("/documents")["total"] == 0


@needs_pdftotext
def test_inventory_of_a_year_and_files_due(app: Flask, api: Api, student_body: Body, tmp_path: Path) -> None:
    heading = api.create("/archive/nomenclature", year=2019, index="04-12", title="Personal files", retention_years=5,
                         article="art. 589")  # fmt: skip
    for serial, name in ((1, "Serikova"), (2, "Abenov")):
        student = api.create("/students", **student_body(serial, last_name=name, status="graduated"))
        api.create("/personal-file-documents", student_id=student["id"], kind="application", title="Application",
                   received_on="2015-08-01", pages=3)  # fmt: skip
    api.create("/archive/files/prepare", kind="graduate_personal_file", nomenclature_item_id=heading["id"],
               end_date="2019-06-30")  # fmt: skip
    empty = run(app, "archive", "inventory", "--year", "2020", "--kind", "graduate_personal_file")
    assert empty.exit_code == 1 and "no prepared graduate_personal_file files of 2020" in empty.output
    out = tmp_path / "opis.pdf"
    compiled = run(app, "archive", "inventory", "--year", "2019", "--kind", "graduate_personal_file",
                   "--compiled-on", "2026-07-01", "--out", str(out))  # fmt: skip
    assert compiled.exit_code == 0, compiled.output
    assert "compiled inventory 2019-graduate_personal_file-1 (draft" in compiled.output
    assert "2 files, 6 pages" in compiled.output
    text = pdf_text(out)
    assert "1 Abenov Arman" in text and "2 Serikova Arman" in text and "DRAFT" in text
    inventory = api.get("/archive/inventories")["items"][0]
    assert inventory["compiled_by"].startswith("cli:") and inventory["state"] == "draft"
    api.post(f"/archive/inventories/{inventory['id']}/approve", approved_on="2026-07-02")
    api.post(f"/archive/inventories/{inventory['id']}/accept", accepted_on="2026-07-03")
    due = run(app, "archive", "due", "--kind", "destruction", "--on", "2026-09-01")
    assert due.exit_code == 0 and "2 file(s) due for destruction on 2026-09-01" in due.output
    assert "Abenov Arman" in due.output and "2025-01-01" in due.output
    early = run(app, "archive", "due", "--kind", "destruction", "--on", "2024-12-31")
    assert "0 file(s) due" in early.output
    assert run(app, "archive", "due", "--kind", "burning").exit_code == 2
