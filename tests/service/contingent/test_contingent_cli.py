"""``registrar contingent``: reports printed and written (read back with pandas), an order registered from a file,
clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from click.testing import CliRunner, Result
from flask import Flask
from movement_testing import enroll, order_body
from service_testing import Api

from registrar.cli import main


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["contingent", *args], env={"REGISTRAR_DATABASE_URL": url})


def test_reports_and_register(app: Flask, api: Api, org: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    url = app.config["DATABASE_URL"]
    _, b = enroll(api, org, [1, 2])
    order = order_body("expulsion_non_payment", "2025-10-07", [{"student_id": b, "reason": "debt"}])
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order), encoding="utf-8")
    result = run(url, "register", str(path))
    assert result.exit_code == 0, result.output
    assert "registered order ENP-2025/001" in result.output and "1 student(s)" in result.output
    refused = run(url, "register", str(path))
    assert refused.exit_code == 1 and "items.0: an order of kind expulsion_non_payment applies only" in refused.output
    path.write_text("{not json", encoding="utf-8")
    assert "not valid JSON" in run(url, "register", str(path)).output

    printed = run(url, "movement", "--period", "2025-10", "--by", "programme")
    assert printed.exit_code == 0, printed.output
    assert "6B06101" in printed.output and "Expulsion for non-payment" in printed.output
    xlsx = tmp_path / "movement.xlsx"
    assert run(url, "movement", "--period", "2025-Q4", "--out", str(xlsx)).exit_code == 0
    table = pd.read_excel(xlsx, sheet_name=0)
    assert table.to_dict("records") == [{"university": "Total", "opening": 2, "arrived": 0,
                                         "departed: Expulsion for non-payment": 1,
                                         "departed": 1, "closing": 1}]  # fmt: skip
    form = tmp_path / "form.csv"
    assert run(url, "state-form", "--on", "2025-09-15", "--out", str(form)).exit_code == 0
    csv = pd.read_csv(form, dtype={"programme": str})
    assert int(csv.iloc[-1]["students"]) == 2 and csv.iloc[0]["programme_name"] == "Computer Science"
    listed = run(url, "expelled", "--period", "2025")
    assert "ENP-2025/001" in listed.output and "debt" in listed.output
    assert run(url, "on-leave", "--period", "2025").exit_code == 0
    assert run(url, "on", "--on", "2025-10-01", "--by", "sex").exit_code == 0


def test_bad_input(app: Flask, tmp_path: Path) -> None:
    url = app.config["DATABASE_URL"]
    bad = run(url, "movement", "--period", "autumn")
    assert bad.exit_code == 2 and "not a period" in bad.output
    assert "unknown dimension 'colour'" in run(url, "on", "--by", "colour").output
    assert "ends in .csv or .xlsx" in run(url, "state-form", "--out", str(tmp_path / "form.pdf")).output
    assert "is not a folder" in run(url, "state-form", "--out", str(tmp_path / "missing" / "form.csv")).output
    assert not (tmp_path / "missing").exists()
    wrong = tmp_path / "order.json"
    wrong.write_text(json.dumps({"kind": "enrollment", "date": "2025-08-25"}), encoding="utf-8")
    result = run(url, "register", str(wrong))
    assert result.exit_code == 1 and "signatory: Field required" in result.output
