"""Installer sources: the Inno Setup script and its Vietnamese messages (Windows cannot run
here, so their required settings are parsed), the PyInstaller spec (executed with stand-ins
for PyInstaller), the icon generator, build.py helpers and the hidden --smoke-gui flag."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import types
import unicodedata
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
ISS = INSTALLER / "secdesk.iss"
ISL = INSTALLER / "Vietnamese.isl"
SPEC = INSTALLER / "secdesk.spec"
BOM = b"\xef\xbb\xbf"


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


# ---- Inno Setup script --------------------------------------------------------------

def iss_sections(path: Path = ISS) -> dict[str, list[str]]:
    """Section name (lower case) -> its lines, without comments and blank lines.
    Preprocessor lines (#define…) are kept under the pseudo-section '#'."""
    sections: dict[str, list[str]] = {"#": []}
    current = "#"
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("//"):
            continue
        if line.startswith("#"):
            sections["#"].append(line)
        elif current != "code" and re.fullmatch(r"\[[A-Za-z]+\]", line):
            current = line[1:-1].lower()
            sections.setdefault(current, [])
        else:
            sections[current].append(raw if current == "code" else line)
    return sections


def directives(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        key, _, value = line.partition("=")
        out[key.strip().lower()] = value.strip()
    return out


def entries(lines: list[str]) -> list[dict[str, str]]:
    """`Name: "x"; Flags: a b` lines as dicts with lower-case keys and unquoted values."""
    result = []
    for line in lines:
        entry = {}
        for part in re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line):
            entry[part[0].lower()] = part[1].strip().strip('"')
        result.append(entry)
    return result


def defines(sections: dict[str, list[str]]) -> dict[str, str]:
    found = (re.match(r'#\s*define\s+(\w+)\s+"([^"]*)"', line) for line in sections["#"])
    return {m.group(1): m.group(2) for m in found if m}


def expand(value: str, defs: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defs[m.group(1)], value)


@pytest.fixture(scope="module")
def iss() -> dict[str, list[str]]:
    return iss_sections()


@pytest.fixture(scope="module")
def setup(iss: dict[str, list[str]]) -> dict[str, str]:
    return directives(iss["setup"])


def test_iss_is_utf8_with_bom_and_nfc() -> None:
    data = ISS.read_bytes()
    assert data.startswith(BOM), "Inno Setup reads a script as UTF-8 only with a BOM"
    text = data[len(BOM):].decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "Hướng dẫn sử dụng" in text  # Vietnamese custom messages survived the encoding


def test_per_user_install_without_admin(setup: dict[str, str]) -> None:
    assert setup["privilegesrequired"] == "lowest"
    # No switch to an all-users install: that would ask for administrator rights.
    assert "privilegesrequiredoverridesallowed" not in setup
    # {autopf} is the user's own Programs folder when installing with lowest privileges.
    assert setup["defaultdirname"].startswith("{autopf}\\")


def test_fixed_appid_guid(setup: dict[str, str]) -> None:
    m = re.fullmatch(r"\{\{([0-9A-Fa-f-]{36})\}", setup["appid"])
    assert m, f"AppId must be a fixed GUID written as {{{{GUID}}, got {setup['appid']!r}"
    assert str(uuid.UUID(m.group(1))).upper() == m.group(1).upper()
    assert "{#" not in setup["appid"] and "{code:" not in setup["appid"]


def test_languages_vietnamese_and_english(iss: dict[str, list[str]]) -> None:
    langs = {e["name"]: e["messagesfile"] for e in entries(iss["languages"])}
    assert langs == {"vi": "Vietnamese.isl", "en": "compiler:Default.isl"}
    assert (INSTALLER / langs["vi"]).is_file()
    assert list(langs)[0] == "vi", "Vietnamese must be the fallback (first) language"


def test_closes_running_secdesk_before_upgrade(setup: dict[str, str], iss: dict[str, list[str]]) -> None:
    assert setup["closeapplications"] in {"yes", "force"}
    assert "*.exe" in setup["closeapplicationsfilter"].split(",")
    assert setup.get("restartapplications") == "no"
    code = "\n".join(iss["code"])
    assert "function InitializeUninstall" in code and "msgUninstallAppRunningError" in code


def test_start_menu_and_optional_desktop_shortcut(iss: dict[str, list[str]]) -> None:
    tasks = {e["name"]: e for e in entries(iss["tasks"])}
    assert "unchecked" in tasks["desktopicon"]["flags"].split()
    icons = entries(iss["icons"])
    start = [e for e in icons if e["name"].startswith("{autoprograms}\\")]
    desktop = [e for e in icons if e["name"].startswith("{autodesktop}\\")]
    assert start and start[0]["filename"] == "{app}\\{#AppExe}" and "tasks" not in start[0]
    assert desktop and desktop[0]["tasks"] == "desktopicon"


def test_user_data_folder_is_not_in_the_install_folder(iss: dict[str, list[str]], setup: dict[str, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    defs = defines(iss)
    code = "\n".join(iss["code"])
    m = re.search(r"function UserDataDir\(\): String;.*?ExpandConstant\('([^']+)'\)", code, re.S)
    assert m, "[Code] must define UserDataDir()"
    data_dir = expand(m.group(1), defs)
    assert data_dir == "{localappdata}\\SecDesk"
    assert "{app}" not in data_dir
    # The same folder the application uses (platformdirs on Windows, local app data).
    import platformdirs.windows as pw

    monkeypatch.setattr(pw, "get_win_folder", lambda csidl: {"CSIDL_LOCAL_APPDATA": "LOCAL"}[csidl])
    app_dir = pw.Windows(appname="SecDesk", appauthor=False).user_data_dir.replace("/", "\\")
    assert app_dir == data_dir.replace("{localappdata}", "LOCAL")
    # For a per-user install {autopf} is {localappdata}\Programs: a different folder.
    install_dir = expand(setup["defaultdirname"], defs).replace("{autopf}", "{localappdata}\\Programs")
    assert not install_dir.lower().startswith(data_dir.lower() + "\\")
    assert install_dir.lower() != data_dir.lower()
    # Nothing the installer deletes or writes points at the data folder.
    for section in ("installdelete", "uninstalldelete", "dirs", "files"):
        for e in entries(iss.get(section, [])):
            target = e.get("name") or e.get("destdir", "")
            assert target.startswith("{app}"), f"[{section}] touches {target}"


def test_uninstall_keeps_data_unless_the_user_asks(iss: dict[str, list[str]]) -> None:
    code = "\n".join(iss["code"])
    m = re.search(r"procedure CurUninstallStepChanged\(.*?\n(.*?)\nend;", code, re.S)
    assert m, "[Code] must handle CurUninstallStepChanged"
    body = m.group(1)
    assert "usPostUninstall" in body and "not UninstallSilent()" in body
    ask = body.index("MsgBox(")
    deltree = body.index("DelTree(UserDataDir()")
    assert ask < body.index("IDYES") < deltree, "the data folder is deleted only after a Yes"
    assert "MB_DEFBUTTON2" in body[ask:deltree], "'No' (keep the data) must be the default button"
    custom = directives(iss["custommessages"])
    assert "{#AppName}" in custom["vi.deleteuserdata"] and "%1" in custom["vi.deleteuserdata"]
    assert "Không" in custom["vi.deleteuserdata"] and "%1" in custom["en.deleteuserdata"]


def test_version_matches_pyproject(iss: dict[str, list[str]], setup: dict[str, str]) -> None:
    assert defines(iss)["AppVersion"] == pyproject_version()
    assert setup["appversion"] == "{#AppVersion}"
    assert setup["outputbasefilename"] == "{#AppName}-{#AppVersion}-setup"


def test_iss_paths_match_the_build(iss: dict[str, list[str]], setup: dict[str, str]) -> None:
    """The script takes what build.py produces: dist/SecDesk/*, installer/secdesk.ico,
    and writes dist/SecDesk-<version>-setup.exe where build.py looks for it."""
    sys.path.insert(0, str(INSTALLER))
    try:
        import build as build_py
    finally:
        sys.path.remove(str(INSTALLER))
    defs = defines(iss)
    files = entries(iss["files"])
    src = (INSTALLER / expand(files[0]["source"], defs).replace("\\", "/")).parent.resolve()
    assert src == build_py.BUNDLE.resolve()
    assert "recursesubdirs" in files[0]["flags"]
    assert (INSTALLER / setup["outputdir"].replace("\\", "/")).resolve() == build_py.DIST.resolve()
    assert setup["setupiconfile"] == "secdesk.ico"
    assert setup["uninstalldisplayicon"] == "{app}\\{#AppExe}" and defs["AppExe"] == "SecDesk.exe"


# ---- Vietnamese messages ---------------------------------------------------------------

# Inno Setup 6.5 messages that carry placeholders; every other message has none.
PLACEHOLDERS = {
    "SetupWindowTitle": "%1", "UninstallAppFullTitle": "%1", "SetupLdrStartupMessage": "%1",
    "LastErrorMessage": "%1 %2 %3", "SetupFileMissing": "%1", "InvalidParameter": "%1",
    "WindowsServicePackRequired": "%1 %2", "NotOnThisPlatform": "%1", "OnlyOnThisPlatform": "%1",
    "OnlyOnTheseArchitectures": "%1", "WinVersionTooLowError": "%1 %2",
    "WinVersionTooHighError": "%1 %2", "SetupAppRunningError": "%1",
    "UninstallAppRunningError": "%1", "PrivilegesRequiredOverrideText1": "%1",
    "PrivilegesRequiredOverrideText2": "%1", "ErrorCreatingDir": "%1",
    "ErrorTooManyFilesInDir": "%1", "AboutSetupMessage": "%1 %2 %3 %4",
    "WelcomeLabel1": "[name]", "WelcomeLabel2": "[name/ver]", "SelectDirDesc": "[name]",
    "SelectDirLabel3": "[name]", "DiskSpaceGBLabel": "[gb]", "DiskSpaceMBLabel": "[mb]",
    "DiskSpaceWarning": "%1 %2", "BadDirName32": "%1", "DirExists": "%1", "DirDoesntExist": "%1",
    "NoUninstallWarning": "%1", "ComponentSize1": "%1", "ComponentSize2": "%1",
    "ComponentsDiskSpaceGBLabel": "[gb]", "ComponentsDiskSpaceMBLabel": "[mb]",
    "SelectTasksLabel2": "[name]", "BadGroupName": "%1", "ReadyLabel1": "[name]",
    "ErrorDownloadFailed": "%1 %2", "ErrorDownloadSizeFailed": "%1 %2", "ErrorProgress": "%1 %2",
    "ErrorFileSize": "%1 %2", "ErrorExtractionFailed": "%1", "PreparingDesc": "[name]",
    "PreviousInstallNotCompleted": "[name]", "PrepareToInstallNeedsRestart": "[name]",
    "InstallingLabel": "[name]", "FinishedHeadingLabel": "[name]",
    "FinishedLabelNoIcons": "[name]", "FinishedLabel": "[name]",
    "FinishedRestartLabel": "[name]", "FinishedRestartMessage": "[name]", "RunEntryExec": "%1",
    "RunEntryShellExec": "%1", "SelectDiskLabel2": "%1", "FileNotInDir2": "%1 %2",
    "ErrorInternal2": "%1", "ErrorFunctionFailedNoCode": "%1", "ErrorFunctionFailed": "%1 %2",
    "ErrorFunctionFailedWithMessage": "%1 %2 %3", "ErrorExecutingProgram": "%1",
    "ErrorRegOpenKey": "%1 %2", "ErrorRegCreateKey": "%1 %2", "ErrorRegWriteKey": "%1 %2",
    "ErrorIniEntry": "%1", "SourceDoesntExist": "%1", "SourceVerificationFailed": "%1",
    "VerificationSignatureDoesntExist": "%1", "VerificationSignatureInvalid": "%1",
    "VerificationKeyNotFound": "%1", "ErrorRegisterServer": "%1", "ErrorRegSvr32Failed": "%1",
    "ErrorRegisterTypeLib": "%1", "UninstallDisplayNameMark": "%1 %2",
    "UninstallDisplayNameMarks": "%1 %2 %3", "UninstallNotFound": "%1",
    "UninstallOpenError": "%1", "UninstallUnsupportedVer": "%1", "UninstallUnknownEntry": "%1",
    "ConfirmUninstall": "%1", "UninstallStatusLabel": "%1", "UninstalledAll": "%1",
    "UninstalledMost": "%1", "UninstalledAndNeedsRestart": "%1", "UninstallDataCorrupted": "%1",
    "StatusUninstalling": "%1", "ShutdownBlockReasonInstallingApp": "%1",
    "ShutdownBlockReasonUninstallingApp": "%1",
    # [CustomMessages]
    "NameAndVersion": "%1 %2", "ProgramOnTheWeb": "%1", "UninstallProgram": "%1",
    "LaunchProgram": "%1", "AssocFileExtension": "%1 %2", "AssocingFileExtension": "%1 %2",
    "AutoStartProgram": "%1", "AddonHostProgramNotFound": "%1",
}
# Messages the SecDesk wizard and uninstaller certainly show.
SHOWN = ["ButtonNext", "ButtonBack", "ButtonCancel", "ButtonInstall", "ButtonFinish",
         "WelcomeLabel1", "WizardSelectDir", "WizardSelectTasks", "WizardReady",
         "WizardPreparing", "ApplicationsFound", "CloseApplications", "WizardInstalling",
         "FinishedHeadingLabel", "ConfirmUninstall", "UninstalledAll", "UninstallAppRunningError",
         "CreateDesktopIcon", "AdditionalIcons", "LaunchProgram", "SelectLanguageTitle"]


def isl_messages() -> tuple[dict[str, str], dict[str, str]]:
    sections = iss_sections(ISL)
    return directives(sections["langoptions"]), {
        k: v for s in ("messages", "custommessages")
        for k, v in (line.split("=", 1) for line in sections[s])}


def test_vietnamese_isl_encoding_and_language() -> None:
    data = ISL.read_bytes()
    assert data.startswith(BOM)
    assert unicodedata.is_normalized("NFC", data[len(BOM):].decode("utf-8"))
    options, _ = isl_messages()
    assert options["languageid"] == "$042A"  # Vietnamese
    assert options["languagename"] == "Tiếng Việt"
    assert options["languagecodepage"] == "0"


def test_vietnamese_messages_keep_placeholders() -> None:
    _, messages = isl_messages()
    ph = re.compile(r"%[1-9]|\[name/ver\]|\[name\]|\[mb\]|\[gb\]")
    wrong = {k: (sorted(set(ph.findall(v))), PLACEHOLDERS.get(k, ""))
             for k, v in messages.items() if sorted(set(ph.findall(v))) != sorted(PLACEHOLDERS.get(k, "").split())}
    assert not wrong, f"placeholders differ from Inno Setup's: {wrong}"
    assert set(PLACEHOLDERS) <= set(messages)
    assert len(messages) >= 290  # the full 6.5 set, not a sample


def test_vietnamese_messages_are_translated() -> None:
    _, messages = isl_messages()
    for key in SHOWN:
        # every one of these has at least one Vietnamese letter with a diacritic
        assert any(c.isalpha() and not c.isascii() for c in messages[key]), key
    assert messages["ButtonNext"] == "&Tiếp >" and messages["ButtonCancel"] == "Hủy"
    # Inno adds periods itself to these; a translation must not add a second one.
    for key in ("ErrorCreatingDir", "LdrCannotCreateTemp", "SourceIsCorrupted", "ErrorInternal2"):
        assert not messages[key].endswith("."), key


# ---- PyInstaller spec ------------------------------------------------------------------

class _Call:
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - records anything
        self.args, self.kwargs = args, kwargs


def run_spec(root: Path, monkeypatch: pytest.MonkeyPatch, binaries: list, datas: list) -> dict:
    """Execute the spec as PyInstaller would, with recording stand-ins for its classes."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda *a, **k: []
    hooks.copy_metadata = lambda *a, **k: []
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    calls: dict = {}

    def analysis(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["Analysis"] = _Call(*args, **kwargs)
        return types.SimpleNamespace(pure=[], scripts=[], binaries=list(binaries),
                                     datas=list(kwargs["datas"]) + list(datas))

    def recorder(name: str):  # noqa: ANN202
        def make(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls.setdefault(name, []).append(_Call(*args, **kwargs))
            return calls[name][-1]
        return make

    spec_globals = {"SPECPATH": str(root / "installer"), "__name__": "__main__",
                    "Analysis": analysis, "PYZ": recorder("PYZ"), "EXE": recorder("EXE"),
                    "COLLECT": recorder("COLLECT")}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), spec_globals)
    calls["a"] = spec_globals["a"]
    return calls


@pytest.fixture()
def fake_root(tmp_path: Path) -> Path:
    """A checkout-shaped folder (links to the real sources) where docs/ can be changed."""
    root = tmp_path / "checkout"
    (root / "installer").mkdir(parents=True)
    (root / "docs").mkdir()
    for name in ("pyproject.toml", "resources", "models", "cli", "gui", "services", "main.py"):
        (root / name).symlink_to(ROOT / name)
    return root


def test_spec_one_folder_windowed_with_data(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = run_spec(fake_root, monkeypatch, [], [])
    kw = calls["Analysis"].kwargs
    datas = {(Path(src).relative_to(fake_root).as_posix(), dest.replace("\\", "/"))
             for src, dest in kw["datas"]}
    assert ("resources/fonts/LiberationSerif-Regular.ttf", "resources/fonts") in datas
    assert ("resources/fonts/OFL-LiberationSerif.txt", "resources/fonts") in datas
    assert ("resources/icons/secdesk.svg", "resources/icons") in datas
    assert ("resources/seed/plan.json", "resources/seed") in datas
    assert ("models/migrations/env.py", "models/migrations") in datas
    assert ("models/migrations/versions/0001_initial_schema.py", "models/migrations/versions") in datas
    assert not any("__pycache__" in s or s.endswith(".pyc") for s, _ in datas)
    assert not any(d.startswith("resources/docs") for _, d in datas)  # no manual built yet

    # Modules imported by name at run time are listed; Qt modules the pages use are kept.
    hidden = set(kw["hiddenimports"])
    assert {"cli.demo", "cli.check", "gui.pages.placeholder", "gui.smoke", "services.regime",
            "alembic.op", "holidays.countries.vietnam"} <= hidden
    assert not any(".migrations" in h for h in hidden)
    used_qt = {"PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtPrintSupport", "PySide6.QtSvg"}
    assert used_qt <= hidden and not used_qt & set(kw["excludes"])
    assert {"tkinter", "pytest", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick",
            "PySide6.QtQml"} <= set(kw["excludes"])

    exe = calls["EXE"][0].kwargs
    assert exe["name"] == "SecDesk" and exe["console"] is False  # windowed
    assert exe["exclude_binaries"] is True                        # one folder, not one file
    assert calls["COLLECT"][0].kwargs["name"] == "SecDesk"
    if sys.platform != "win32":
        assert len(calls["EXE"]) == 1


def test_spec_ships_the_manual_pdf_when_built(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (fake_root / "docs" / "huong-dan-su-dung.pdf").write_bytes(b"%PDF-1.4\n")
    datas = run_spec(fake_root, monkeypatch, [], [])["Analysis"].kwargs["datas"]
    assert (str(fake_root / "docs" / "huong-dan-su-dung.pdf"), "resources/docs") in datas


def test_spec_drops_unused_qt_parts(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    qt = "PySide6/Qt"
    binaries = [(f"{qt}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "x", "BINARY"),
                (f"{qt}/lib/libQt6Quick.so.6", "x", "BINARY"), (f"{qt}/lib/libQt6Qml.so.6", "x", "BINARY"),
                (f"{qt}/plugins/platforms/libqeglfs.so", "x", "BINARY"),
                (f"{qt}/lib/libQt6Charts.so.6", "x", "BINARY"), (f"{qt}/lib/libQt6Pdf.so.6", "x", "BINARY"),
                (f"{qt}/plugins/platforms/libqxcb.so", "x", "BINARY"),
                (f"{qt}/plugins/platforms/libqoffscreen.so", "x", "BINARY"),
                ("PySide6\\Qt6Quick.dll", "x", "BINARY"), ("PySide6\\plugins\\platforms\\qwindows.dll", "x", "BINARY")]
    datas = [(f"{qt}/translations/qtbase_de.qm", "x", "DATA"), (f"{qt}/translations/qtbase_en.qm", "x", "DATA")]
    a = run_spec(fake_root, monkeypatch, binaries, datas)["a"]
    kept = {Path(d.replace("\\", "/")).name for d, _, _ in a.binaries}
    assert kept == {"libQt6Charts.so.6", "libQt6Pdf.so.6", "libqxcb.so", "libqoffscreen.so", "qwindows.dll"}
    names = {Path(e[0]).name for e in a.datas}
    assert "qtbase_en.qm" in names and "qtbase_de.qm" not in names


# ---- icon, build.py, smoke flag --------------------------------------------------------

def test_icon_is_rendered_from_the_svg(qapp, tmp_path: Path) -> None:  # noqa: ANN001 - a QApplication first, so make_ico reuses it
    sys.path.insert(0, str(INSTALLER))
    try:
        import make_icon
    finally:
        sys.path.remove(str(INSTALLER))
    ico = make_icon.make_ico(ico=tmp_path / "secdesk.ico")
    assert make_icon.read_ico_sizes(ico) == list(make_icon.SIZES)
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ico))
    assert reader.imageCount() == len(make_icon.SIZES)
    sizes, colours = [], []
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        img = reader.read()
        sizes.append(img.width())
        colours.append((img.pixelColor(img.width() // 2, img.height() // 12).name(),
                        img.pixelColor(0, 0).alpha()))
    assert sorted(sizes) == sorted(make_icon.SIZES)
    # The red frame of the SVG at the top centre, transparent corners: drawn the right way up.
    assert all(c == "#b71c1c" and corner == 0 for c, corner in colours[-3:]), colours


def test_build_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sys.path.insert(0, str(INSTALLER))
    try:
        import build as build_py
    finally:
        sys.path.remove(str(INSTALLER))
    assert build_py.version() == pyproject_version()
    (tmp_path / "a").write_bytes(b"x" * 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 5)
    assert build_py.folder_size(tmp_path) == (15, 2)
    assert build_py.report_unavailable("Lỗi: lệnh 'report' chưa có trong phiên bản này", Path("x"), {})
    if sys.platform != "win32":
        with pytest.raises(build_py.BuildError, match="only be built on Windows"):
            build_py.build_installer()
    monkeypatch.setenv("ISCC", str(tmp_path / "a"))
    assert build_py.find_iscc() == tmp_path / "a"
    monkeypatch.setattr(build_py, "BUNDLE", tmp_path)
    assert build_py.bundled_manual() is None
    manual = tmp_path / "_internal" / "resources" / "docs" / "huong-dan-su-dung.pdf"
    manual.parent.mkdir(parents=True)
    manual.write_bytes(b"%PDF-1.4\n")
    assert build_py.bundled_manual() == manual


def test_smoke_gui_flag_opens_every_page_and_quits(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), SECDESK_SMOKE_SCREENSHOTS=str(tmp_path / "shots"))
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(demo_db.path), "--smoke-gui"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"SMOKE GUI OK: SecDesk {pyproject_version()}, 7 trang" in r.stdout
    assert (tmp_path / "shots" / "main.png").stat().st_size > 1000
    assert (tmp_path / "shots" / "about.png").stat().st_size > 1000
    help_text = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120).stdout
    assert "smoke" not in help_text  # hidden from users


class _RecordingApp:
    """Stands in for QApplication.exit so the test's own application keeps running."""

    def __init__(self) -> None:
        self.codes: list[int] = []

    def processEvents(self) -> None:  # noqa: N802 - Qt name
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()

    def exit(self, code: int) -> None:
        self.codes.append(code)


def test_smoke_reports_failure_and_success(demo_db, qtbot, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from gui import smoke
    from gui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    app = _RecordingApp()
    monkeypatch.setattr(smoke, "QT_MODULES", ("PySide6.QtCharts", "PySide6.QtNoSuchModule"))
    smoke._run(app, win)
    assert app.codes == [1]
    assert "QtNoSuchModule" in capsys.readouterr().err

    monkeypatch.setattr(smoke, "QT_MODULES", ("PySide6.QtCharts",))
    smoke._run(app, win)
    assert app.codes == [1, 0]
    assert "SMOKE GUI OK" in capsys.readouterr().out
    assert not win.isVisible()  # the window was closed before quitting
