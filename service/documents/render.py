"""The PDF of an issued document: a Jinja template per kind filled from the document's snapshot, in its
language, with a QR code of the verification link, rendered by WeasyPrint (fonts: DejaVu Sans, which has the
Kazakh and Russian letters).

The verification link is ``<base>/verify?number=...&code=...`` where the base is the config ``PUBLIC_URL``
(the address people reach the service at), else the address of the current request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from flask import current_app, has_request_context, render_template, request
from weasyprint import HTML

from service.documents.labels import STUDY_CERTIFICATE_TEXT, label
from service.models import IssuedDocument

PAGE = {"student_card": ("85.6mm 54mm", "3mm")}
"""Page size and margin per kind (a card is ID-1 size); others are A4 with 15 mm margins."""
SIGNATORY = {"academic_certificate": "rector", "diploma_supplement": "rector"}


def verify_url(document: IssuedDocument) -> str:
    base = current_app.config.get("PUBLIC_URL") or (request.host_url if has_request_context() else "http://localhost/")
    return f"{str(base).rstrip('/')}/verify?{urlencode({'number': document.number, 'code': document.code})}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (error correction M)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def html(document: IssuedDocument) -> str:
    """The document as HTML (what the PDF is rendered from)."""
    lang, data = document.language, document.data

    def words(key: str) -> str:
        return label(document.kind if key == "title" else key, lang)

    def programme(student: dict[str, Any]) -> str:
        return str(student.get(f"programme_{lang}") or student["programme_en"])

    def discipline(line: dict[str, Any]) -> str:
        return str(line.get(f"name_{lang}") or line["name_en"])

    def full_name(student: dict[str, Any]) -> str:
        return " ".join(n for n in (student["last_name"], student["first_name"], student.get("middle_name")) if n)

    context: dict[str, Any] = {"lang": lang, "data": data, "number": document.number, "code": document.code,
                               "issued_on": document.issued_on.isoformat(), "L": words, "programme": programme,
                               "discipline": discipline, "full_name": full_name, "n": _number,
                               "signatory": SIGNATORY.get(document.kind, "registrar")}  # fmt: skip
    url = verify_url(document)
    size, margin = PAGE.get(document.kind, ("A4", "15mm"))
    context |= {"verify_url": url, "qr": qr_data_uri(url), "page_size": size, "page_margin": margin}
    if document.kind == "study_certificate":
        student = data["student"]
        context["sentence"] = STUDY_CERTIFICATE_TEXT[lang].format(
            name=full_name(student), on=data["on"], year=data["year_of_study"],
            programme=f"{student['programme_code']} {programme(student)}", form=label(data["study_form"], lang),
            funding=label(data["funding"], lang))  # fmt: skip
    kind = "transcript" if document.kind == "academic_certificate" else document.kind
    template = f"documents/{kind}.html"
    return render_template(template, **context)


def pdf(document: IssuedDocument) -> bytes:
    """The document as a PDF."""
    return bytes(HTML(string=html(document)).write_pdf())
