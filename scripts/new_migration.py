"""Developer tool: autogenerate the next Alembic migration from the models.

    .venv/bin/python scripts/new_migration.py "what changed"

Upgrades a scratch SQLite file to the current head, compares it with the models and
writes models/migrations/versions/NNNN_<slug>.py. Read and edit the result before committing.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402

from models.db import head_revision, make_engine, upgrade  # noqa: E402


def main() -> None:
    message = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/scratch.sqlite"
        upgrade(make_engine(url))
        cfg = Config()
        cfg.set_main_option("script_location", str(ROOT / "models" / "migrations"))
        cfg.set_main_option("sqlalchemy.url", url)
        rev = f"{int(head_revision()) + 1:04d}"
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev)
        # alembic names the file <rev>_<slug>.py already; keep it predictable.
        print(f"written: models/migrations/versions/{rev}_{slug}.py (check it)")


if __name__ == "__main__":
    main()
