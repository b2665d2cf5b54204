"""Documents the registrar issues: transcripts, academic certificates, certificates of study, student cards and
diploma supplements (the endpoints are in :mod:`service.records.documents`).

- :mod:`service.documents.issuing`: registered numbers (``TR-2026-000017``: sequential per kind and year) and
  verification codes (60 random bits from :mod:`secrets`, unrelated to the number or to each other);
- :mod:`service.documents.content`: what each kind of document says (a snapshot kept with the document);
- :mod:`service.documents.results`: the student's results as :class:`models.transcript.AcademicRecord`;
- :mod:`service.documents.render`: the PDF (Jinja templates in Kazakh, Russian or English, WeasyPrint, a QR
  code of the verification link made with segno);
- :mod:`service.documents.verification`: the public check of a number and code, rate limited.
"""
