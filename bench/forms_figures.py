"""Forms figure (issue #7): importing 350 filled forms, files per second, measured by
bench/forms_bench.py (owned by the forms work) and reported here with its goal."""
from __future__ import annotations

from pathlib import Path

from bench.harness import Figure, Goal


def _rate(result: dict) -> tuple[str, float] | None:
    """The files-per-second entry, whatever its exact key."""
    for key in ("files_per_second", "files_per_s", "per_second", "rate"):
        if isinstance(result.get(key), (int, float)):
            return key, float(result[key])
    for key, v in result.items():
        if "per_s" in key and isinstance(v, (int, float)):
            return key, float(v)
    return None


def run(work: Path) -> tuple[list[Figure], list[str]]:
    from bench import forms_bench  # lands with the forms work (issue #7)

    folder = work / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    result = forms_bench.run(folder)
    found = _rate(result)
    shown = ("files", "imported", "analyze_seconds", "commit_seconds", "import_seconds")
    details = ", ".join(f"{k} {result[k]}" for k in shown if k in result) or ", ".join(
        f"{k} {v}" for k, v in result.items() if not isinstance(v, (dict, list)))
    if found is None:
        return [], [f"forms: bench/forms_bench.run returned no files-per-second figure: {details}"]
    _key, rate = found
    files = result.get("files") or result.get("count") or "?"
    return [Figure("Forms", f"Import filled forms ({files} files)", rate, "files/s",
                   goal=Goal(">=", 20, "≥ 20 files/s"), note=details)], []
