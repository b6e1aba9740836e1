"""Build SecDesk for distribution: icon, PyInstaller one-folder bundle, optional smoke test,
and on Windows the Inno Setup installer.

    python installer/build.py                 # dist/SecDesk/
    python installer/build.py --smoke         # … then run the built program headless
    python installer/build.py --smoke --installer   # Windows: … then dist/SecDesk-<v>-setup.exe
    python installer/build.py --smoke-only    # smoke-test an existing dist/SecDesk/

Installs nothing: PyInstaller comes from the `build` extra (`pip install -e ".[build]"`,
which `make bundle` runs). Exits non-zero on the first failure.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
DIST = ROOT / "dist"
BUNDLE = DIST / "SecDesk"
WORK = ROOT / "build" / "pyinstaller"
WINDOWS = sys.platform == "win32"
EXIT_UNAVAILABLE = 2  # cli.EXIT_UNAVAILABLE: a command that is not built yet
SMOKE_UNTIL = "2026-12-06"
SMOKE_PERIOD = "2026-11"


class BuildError(Exception):
    pass


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 1800,
        capture: bool = False) -> subprocess.CompletedProcess:
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, timeout=timeout, text=True,
                          encoding="utf-8", errors="replace",
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.STDOUT if capture else None)


def make_icon() -> None:
    step("icon")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = run([sys.executable, str(INSTALLER / "make_icon.py")], env=env)
    if r.returncode:
        raise BuildError("could not render installer/secdesk.ico")


def build_bundle() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError('PyInstaller is missing: run  pip install -e ".[build]"  (or make bundle)') from None
    step(f"PyInstaller → {BUNDLE.relative_to(ROOT)}")
    r = run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", str(DIST), "--workpath", str(WORK), str(INSTALLER / "secdesk.spec")])
    if r.returncode:
        raise BuildError(f"PyInstaller failed (exit code {r.returncode})")


def executables() -> tuple[Path, Path]:
    """(GUI program, program for headless commands). On Windows the GUI one is windowed and
    has no stdout, so commands go through its console twin."""
    if WINDOWS:
        return BUNDLE / "SecDesk.exe", BUNDLE / "secdesk-cli.exe"
    return BUNDLE / "SecDesk", BUNDLE / "SecDesk"


def smoke() -> None:
    """Run the built program as a user would, headless, on a fresh demo database."""
    gui_exe, cli_exe = executables()
    for exe in {gui_exe, cli_exe}:
        if not exe.exists():
            raise BuildError(f"no bundle to test: {exe} is missing")
    with tempfile.TemporaryDirectory(prefix="secdesk-smoke-") as tmp:
        tmpdir = Path(tmp)
        db = tmpdir / "d.sqlite"
        # Keep the smoke run away from the builder's own settings and data folders.
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8",
                   XDG_CONFIG_HOME=str(tmpdir / "config"), XDG_DATA_HOME=str(tmpdir / "data"))

        def command(title: str, args: list[str], exe: Path = cli_exe) -> subprocess.CompletedProcess:
            step(f"smoke: {title}")
            t0 = time.monotonic()
            r = run([str(exe), *args], env=env, timeout=900, capture=True)
            print((r.stdout or "").rstrip())
            print(f"-> exit code {r.returncode} in {time.monotonic() - t0:.1f} s", flush=True)
            return r

        r = command("demo database", ["demo", "--db", str(db), "--until", SMOKE_UNTIL])
        if r.returncode or not db.exists():
            raise BuildError("`demo` failed in the bundle")
        r = command("check", ["check", "--db", str(db)])
        if r.returncode:
            raise BuildError("`check` failed in the bundle")
        pdf = tmpdir / "r.pdf"
        r = command(f"consolidated report {SMOKE_PERIOD} as PDF",
                    ["report", "--db", str(db), "--period", SMOKE_PERIOD, "--format", "pdf",
                     "--out", str(pdf)])
        if r.returncode == EXIT_UNAVAILABLE and report_unavailable(r.stdout or "", cli_exe, env):
            print("SKIPPED: `report` is not available yet in this version (exit code 2; "
                  "it is still the '(chưa có)' placeholder)")
        elif r.returncode:
            raise BuildError("`report` failed in the bundle")
        elif not pdf.exists() or not pdf.read_bytes().startswith(b"%PDF"):
            raise BuildError(f"`report` succeeded but {pdf.name} is not a PDF")
        else:
            print(f"report: {pdf.name}, {pdf.stat().st_size} bytes, PDF header ok")
        # Through the console program: same code and libraries as the windowed one, but its
        # output is captured and an error cannot hang the build behind a Windows dialog.
        r = command("GUI start (offscreen), every page, quit",
                    ["--db", str(db), "--smoke-gui"], exe=cli_exe)
        if r.returncode:
            raise BuildError("the GUI did not start cleanly in the bundle")
        if f"SMOKE GUI OK: SecDesk {version()}" not in (r.stdout or ""):
            raise BuildError(f"the GUI smoke did not report SecDesk {version()}")


def report_unavailable(output: str, cli_exe: Path, env: dict[str, str]) -> bool:
    """Exit code 2 is both "command not built yet" and argparse's usage error. Only the
    first is a skip: the command says "chưa có", or it is still the placeholder whose
    help shows "(chưa có)" and which has no --period option yet."""
    if "chưa có" in output:
        return True
    r = run([str(cli_exe), "--help"], env=env, timeout=120, capture=True)
    placeholder = any("report" in line and "(chưa có)" in line for line in (r.stdout or "").splitlines())
    if placeholder:
        return True
    print("`report` exists but rejected the smoke arguments (usage error, exit code 2)")
    return False


def find_iscc() -> Path | None:
    candidates = [os.environ.get("ISCC", ""), shutil.which("ISCC") or "",
                  r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe",
                  r"C:\Program Files\Inno Setup 6\ISCC.exe",
                  os.path.expandvars(r"%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe")]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def build_installer() -> Path:
    if not WINDOWS:
        raise BuildError("the Inno Setup installer can only be built on Windows (README: "
                         "'Building the Windows installer')")
    iscc = find_iscc()
    if iscc is None:
        raise BuildError("ISCC.exe (Inno Setup 6) not found: install it or set ISCC=<path to ISCC.exe>")
    step("Inno Setup")
    r = run([str(iscc), f"/DAppVersion={version()}", str(INSTALLER / "secdesk.iss")])
    if r.returncode:
        raise BuildError(f"ISCC failed (exit code {r.returncode})")
    setup = DIST / f"SecDesk-{version()}-setup.exe"
    if not setup.exists():
        raise BuildError(f"ISCC finished but {setup} is missing")
    return setup


def bundled_manual() -> Path | None:
    """The user manual inside the bundle (copied by the spec only if it was built)."""
    return next(BUNDLE.rglob("huong-dan-su-dung.pdf"), None)


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--smoke", action="store_true", help="run the built program headless afterwards")
    p.add_argument("--smoke-only", action="store_true", help="only smoke-test an existing dist/SecDesk")
    p.add_argument("--installer", action="store_true", help="Windows: also build the Inno Setup installer")
    args = p.parse_args(argv)
    t0 = time.monotonic()
    try:
        if not args.smoke_only:
            make_icon()
            build_bundle()
            print(f"bundle built in {time.monotonic() - t0:.0f} s")
        if args.smoke or args.smoke_only:
            smoke()
        setup = build_installer() if args.installer else None
    except (BuildError, subprocess.TimeoutExpired) as e:
        print(f"\nBUILD FAILED: {e}", file=sys.stderr)
        return 1
    size, count = folder_size(BUNDLE)
    print()
    if args.smoke or args.smoke_only:
        print("SMOKE OK")
    print(f"bundle: {BUNDLE} — {size / 2**20:.1f} MB in {count} files")
    manual = bundled_manual()
    print(f"manual: {manual.relative_to(BUNDLE)}" if manual else
          "manual: NOT included (docs/huong-dan-su-dung.pdf was not built; run `make manual` first)")
    if setup is not None:
        print(f"installer: {setup} — {setup.stat().st_size / 2**20:.1f} MB")
    print(f"total time: {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
