"""Outgoing register numbering: per year and type, restarting each 1 January."""
from __future__ import annotations

from datetime import date

from services import outgoing


def _reserve(db, d: date, t: str) -> str:  # noqa: ANN001
    with db.session() as s:
        return outgoing.reserve(s, doc_date=d, doc_type=t, agency_abbr="SKHCN", drafting_unit="VP", kind="report",
                                period="", title="x", recipients="").symbol


def test_numbers_per_year_and_type(empty_db) -> None:  # noqa: ANN001
    assert _reserve(empty_db, date(2026, 1, 5), "BC") == "01/BC-SKHCN"
    assert _reserve(empty_db, date(2026, 2, 5), "BC") == "02/BC-SKHCN"
    assert _reserve(empty_db, date(2026, 2, 6), "CV") == "01/SKHCN-VP"
    assert outgoing.peek_symbol(empty_db, date(2026, 3, 1), "BC") == "03/BC-"  # agency not set in an empty db
    assert _reserve(empty_db, date(2027, 1, 2), "BC") == "01/BC-SKHCN"
    rows = outgoing.list_documents(empty_db, year=2026)
    assert [r.symbol for r in rows] == ["01/SKHCN-VP", "02/BC-SKHCN", "01/BC-SKHCN"]
