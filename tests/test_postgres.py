"""The same code on a PostgreSQL server gives the same figures as on SQLite.

Runs when SECDESK_TEST_PG_URL points at a scratch database (CI starts one with
scripts/pg_test_server.sh); skipped otherwise."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text

from models.base import Base
from models.db import make_engine, open_database
from tests.conftest import DEMO_UNTIL

PG_URL = os.environ.get("SECDESK_TEST_PG_URL")
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="SECDESK_TEST_PG_URL not set")]


@pytest.fixture()
def pg_demo():
    from services.demo import build_demo

    engine = make_engine(PG_URL)
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    db = open_database(PG_URL)
    build_demo(db, DEMO_UNTIL)
    yield db
    db.dispose()


def _counts(db) -> dict[str, int]:  # noqa: ANN001
    with db.session() as s:
        return {t.name: s.execute(select(func.count()).select_from(t)).scalar_one() for t in Base.metadata.sorted_tables}


def test_demo_on_postgres_matches_sqlite(pg_demo, demo_db) -> None:  # noqa: ANN001
    assert _counts(pg_demo) == _counts(demo_db)
    from services.text import like_pattern
    from models import Unit

    pattern = like_pattern("so khoa hoc")
    for db in (pg_demo, demo_db):
        with db.session() as s:
            codes = s.scalars(select(Unit.code).where(Unit.search_key.ilike(pattern))).all()
        assert codes == ["SKHCN"]


def test_figures_on_postgres_match_sqlite(pg_demo, demo_db) -> None:  # noqa: ANN001
    """The dashboard's counts, the indicator roll-ups and the task classes are engine-independent."""
    from services import aggregates, timeliness
    from services.periods import Period
    from services.task_status import counts_by_unit

    for month in ("2025-09", "2026-11"):
        a = timeliness.counts(pg_demo, DEMO_UNTIL, month_keys=[month])
        b = timeliness.counts(demo_db, DEMO_UNTIL, month_keys=[month])
        assert a == b
    for period in ("2025", "2025-Q3", "2026-11"):
        a = aggregates.activity_totals(pg_demo, Period.parse(period))
        b = aggregates.activity_totals(demo_db, Period.parse(period))
        assert a == b and any(t.value for t in a)
    assert counts_by_unit(pg_demo, DEMO_UNTIL) == counts_by_unit(demo_db, DEMO_UNTIL)
