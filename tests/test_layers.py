"""House rules of DESIGN.md §1 that a machine can check."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_qt_in_models_or_services() -> None:
    offenders = [str(p.relative_to(ROOT)) for folder in ("models", "services")
                 for p in (ROOT / folder).rglob("*.py") if "PySide6" in _imports(p)]
    assert offenders == []


def test_models_do_not_import_services_or_gui() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "models").rglob("*.py")
                 if _imports(p) & {"services", "gui"}]
    assert offenders == []


def test_services_do_not_import_gui() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "services").rglob("*.py") if "gui" in _imports(p)]
    assert offenders == []


def test_widgets_do_not_query() -> None:
    """Pages and dialogs call services; they never build SQL themselves."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "gui").rglob("*.py")
                 if _imports(p) & {"sqlalchemy"}]
    assert offenders == []


def test_importing_services_does_not_pull_qt() -> None:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import services.regime, services.demo, models.db; "
            "print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
