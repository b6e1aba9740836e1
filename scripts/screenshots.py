"""Screenshots for the user manual (`make screenshots`): docs/images/*.png.

Builds the demo database (as of 2026-12-06) in a scratch folder (/tmp/secdesk-huong-dan,
emptied first), starts the real main window under Xvfb at 1366×768, visits every page and
the main dialogs (register an incoming report, reminders, forms export and import with
really filled forms, consolidated report, print preview, settings, About) and grabs each
one. "Today" is pinned with SECDESK_TODAY and Qt's settings and HOME live in the scratch
folder, so two runs give the same pictures and the officer's own settings are never
touched. Images are stored as 8-bit palette PNGs
(≤ 150 KB each; scaled down if a palette alone is not enough).

    .venv/bin/python scripts/screenshots.py [--out DIR] [--only NAME ...] [--keep]
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 12, 6)
WIDTH, HEIGHT = 1366, 768
MAX_BYTES = 150_000
XVFB_GUARD = "SECDESK_SCREENSHOTS_XVFB"


def _ensure_display(argv: list[str]) -> None:
    """Without a display, run again under a private Xvfb server of the window's size."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") or os.environ.get(XVFB_GUARD):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("Cần xvfb-run (gói xvfb) để chụp màn hình khi không có màn hình.")
    env = dict(os.environ, **{XVFB_GUARD: "1"})
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH}x{HEIGHT}x24",
           sys.executable, str(Path(__file__).resolve()), *argv]
    sys.exit(subprocess.run(cmd, env=env).returncode)


def save_png(image, path: Path) -> int:  # noqa: ANN001 - a QImage
    """Write a QImage as a small palette PNG; returns the size in bytes."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    img = Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")
    scale = 1.0
    while True:
        shown = img if scale == 1.0 else img.resize(
            (round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
        # No dithering: flat UI colours stay flat and text edges stay clean.
        small = shown.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        data = io.BytesIO()
        small.save(data, "PNG", optimize=True)
        if data.tell() <= MAX_BYTES or scale < 0.5:
            path.write_bytes(data.getvalue())
            return data.tell()
        scale -= 0.1


class Shooter:
    """Drives the real window and dialogs; every picture goes through `shot`."""

    def __init__(self, out: Path, work: Path, only: set[str]) -> None:
        self.out, self.work, self.only = out, work, only
        self.taken: list[tuple[str, int]] = []

    # ---- waiting and saving ---------------------------------------------------------
    def settle(self, ms: int = 400) -> None:
        """Let layouts, lazy table pages, charts and background jobs finish."""
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        end = time.monotonic() + ms / 1000
        deadline = time.monotonic() + 120
        while time.monotonic() < end or (self.win is not None and self.win.runner.busy):
            app.processEvents()
            time.sleep(0.01)
            if time.monotonic() > deadline:
                raise TimeoutError("background work still running after 120 s")

    def wait_for(self, cond: Callable[[], bool], what: str, timeout: float = 120) -> None:
        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            QApplication.instance().processEvents()
            time.sleep(0.01)

    def wanted(self, name: str) -> bool:
        return not self.only or name in self.only

    def shot(self, widget, name: str) -> None:  # noqa: ANN001 - any QWidget
        if self.wanted(name):
            self.settle()
            self._save(widget.grab().toImage(), name)

    def shot_screen(self, name: str, width: int, height: int) -> None:
        """The screen's top-left corner: what a widget grab cannot show (open menus)."""
        from PySide6.QtGui import QGuiApplication

        if self.wanted(name):
            self.settle()
            self._save(QGuiApplication.primaryScreen().grabWindow(0, 0, 0, width, height).toImage(), name)

    def _save(self, image, name: str) -> None:  # noqa: ANN001 - a QImage
        size = save_png(image, self.out / f"{name}.png")
        self.taken.append((name, size))
        print(f"  {name}.png  {image.width()}×{image.height()}  {size // 1024} KB", flush=True)

    def modal(self, start: Callable[[], object], name: str) -> None:
        """Grab a dialog that the app opens with exec() (it blocks), then close it."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def poll() -> None:
            w = QApplication.activeModalWidget()
            if w is None or not w.isVisible():
                QTimer.singleShot(50, poll)
                return
            try:
                self.shot(w, name)
            finally:
                w.reject() if hasattr(w, "reject") else w.close()

        QTimer.singleShot(50, poll)
        start()

    # ---- the run --------------------------------------------------------------------
    win = None

    def run(self) -> None:
        from PySide6.QtCore import QSettings

        from gui.app import choose_database, make_app
        from gui.main_window import MainWindow
        from models.db import open_database
        from services.demo_db import create_demo_database

        app = make_app()
        app.setCursorFlashTime(0)  # a blinking text cursor would make reruns differ
        # Qt settings (remembered widths, last folders) go to the temporary folder.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.work / "settings"))

        # What a Linux user "canbo" sees on the very first start (nothing is created).
        first = "/home/canbo/.local/share/SecDesk/secdesk.sqlite"
        args = argparse.Namespace(db=first, demo_if_missing=False)
        self.modal(lambda: choose_database(args, QSettings()), "lan-dau-khoi-dong")

        db_path = self.work / "secdesk.sqlite"
        print("Tạo cơ sở dữ liệu demo…", flush=True)
        create_demo_database(str(db_path), TODAY)
        self.win = win = MainWindow(open_database(str(db_path)), QSettings())
        win.resize(WIDTH, HEIGHT)
        win.move(0, 0)
        win.show()
        # No start_session(): it brings the expected reports up to the real date, while the
        # pictures show the demo as of TODAY whatever day they are taken.
        self.settle(800)

        self.pages()
        self.incoming_dialogs()
        self.forms()
        self.documents()
        self.menus_and_about()
        win.close()
        app.processEvents()

    def pages(self) -> None:
        win = self.win
        win.show_page_key("dashboard")
        self.shot(win, "tong-quan")
        win.show_page_key("units")
        self.shot(win, "don-vi")
        plans = win.show_page_key("plans")
        self.shot(win, "ke-hoach")
        plans.tabs.setCurrentIndex(1)
        self.shot(win, "ke-hoach-tien-do")
        plans.tabs.setCurrentIndex(0)
        incoming = win.show_page_key("incoming")
        incoming.tabs.setCurrentIndex(0)
        self.shot(win, "bao-cao-den")
        incoming.tabs.setCurrentIndex(1)
        self.shot(win, "so-bao-cao-den")
        incoming.tabs.setCurrentIndex(0)
        indicators = win.show_page_key("indicators")
        self.shot(win, "chi-tieu")
        indicators.tabs.setCurrentIndex(1)
        self.shot(win, "chi-tieu-hoat-dong")
        indicators.tabs.setCurrentIndex(0)
        self.settings()

    def settings(self) -> None:
        from gui.dialogs.override_day import OverrideDialog
        from gui.dialogs.report_type import ReportTypeDialog

        win = self.win
        page = win.show_page_key("settings")
        page.tabs.setCurrentIndex(0)
        self.shot(win, "cai-dat")
        page.tabs.setCurrentIndex(1)
        self.shot(win, "cai-dat-loai-bao-cao")
        row = page.report_types.table.current_row()
        dlg = ReportTypeDialog(win.ctx, row.id if row else None, page)
        dlg.tabs.setCurrentIndex(dlg.tabs.count() - 1)
        dlg.show()
        self.shot(dlg, "loai-bao-cao-han-nop")
        dlg.reject()
        page.tabs.setCurrentIndex(2)
        self.shot(win, "lich-lam-viec")
        dlg = OverrideDialog(win.ctx, None, page, day=date(2026, 12, 31))
        dlg.note.setText("Nghỉ thêm theo thông báo của Văn phòng Chính phủ (ví dụ)")
        dlg.show()
        self.shot(dlg, "ngay-nghi-bu")
        dlg.reject()
        page.tabs.setCurrentIndex(0)

    def incoming_dialogs(self) -> None:
        from PySide6.QtCore import QDate

        from gui import clock
        from gui.dialogs.incoming_report import IncomingDialog
        from gui.dialogs.reminders import RemindersDialog
        from services import dashboard
        from services import timeliness as tl

        win = self.win
        page = win.show_page_key("incoming")
        page.tabs.setCurrentIndex(0)
        rows = page.expected_model.all_rows() if hasattr(page.expected_model, "all_rows") else []
        row = next((r for r in rows if r is not None and r.status == tl.MISSING), None)
        kw = dict(unit_id=row.unit_id, period=row.period, report_type_id=row.report_type_id) if row else {}
        dlg = IncomingDialog(win.ctx, page, today=clock.today(), **kw)
        dlg.doc_number.setText("125/BC-UBND")
        dlg.doc_date.setDate(QDate(2026, 12, 4))
        dlg.add_files([str(sample_pdf(self.work / "bao-cao-thang-11-2026.pdf"))])
        dlg.summary.setPlainText("Báo cáo kết quả thực hiện Kế hoạch tháng 11/2026: đã tổ chức 02 hội nghị "
                                 "phổ biến, đăng 15 tin bài trên cổng thông tin điện tử.")
        dlg.show()
        self.shot(dlg, "ghi-nhan-bao-cao-den")
        dlg.reject()

        month_key = dashboard.default_period(win.ctx.db, clock.today())
        dlg = RemindersDialog(win.ctx, month_key, page)
        dlg.show()
        self.shot(dlg, "don-doc")
        dlg.accept()

    def forms(self) -> None:
        from gui.dialogs.forms_export import FormsExportDialog
        from gui.dialogs.forms_import import FormsImportDialog
        from services.forms_export import default_period, export_forms, form_units

        win = self.win
        page = win.show_page_key("incoming")
        dlg = FormsExportDialog(win.ctx, page)
        dlg.show()
        self.shot(dlg, "xuat-bieu-mau")
        dlg.reject()

        db = win.ctx.db
        period = default_period(db, TODAY)
        codes = [u.code for u in form_units(db, period) if not u.received][:3]
        folder = self.work / "bieu-mau-nhan-ve"
        res = export_forms(db, period, folder, codes, today=TODAY)
        for i, f in enumerate(res.forms):
            fill_form(Path(f.path), i, broken=(i == len(res.forms) - 1 and len(res.forms) > 1))
        dlg = FormsImportDialog(win.ctx, page)
        dlg.show()
        dlg.add_paths([str(folder)])
        self.wait_for(lambda: not dlg.busy, "forms analysis")
        rows = dlg.file_rows()
        dlg.files.selectRow(next((i for i, r in enumerate(rows) if not r.errors), 0))
        self.shot(dlg, "nhap-bieu-mau")
        dlg.files.selectRow(next((i for i, r in enumerate(rows) if r.errors), 0))
        self.shot(dlg, "nhap-bieu-mau-loi")
        dlg.reject()

    def documents(self) -> None:
        from gui.dialogs.reminder_dialog import ReminderDialog
        from gui.dialogs.report_dialog import ReportDialog

        win = self.win
        page = win.show_page_key("outgoing")
        dlg = ReportDialog(win.ctx, page)
        dlg.show()
        self.wait_for(lambda: dlg._loaded_period == dlg.picker.period(), "report drafts")
        self.shot(dlg, "bao-cao-tong-hop")
        dlg.generate()
        self.wait_for(lambda: dlg.result is not None, "report generation")
        self.shot(dlg, "bao-cao-tong-hop-da-tao")
        self.modal(dlg.done_bar.preview, "xem-truoc-khi-in")
        dlg.reject()
        page.refresh()

        dlg = ReminderDialog(win.ctx, page)
        dlg.show()
        self.shot(dlg, "cong-van-don-doc")
        dlg.generate()  # so the register below shows both kinds of document
        self.wait_for(lambda: dlg.result is not None, "reminder letter")
        dlg.reject()
        page.refresh()
        self.shot(win, "van-ban-di")

    def menus_and_about(self) -> None:
        from gui.about import AboutDialog

        win = self.win
        win.show_page_key("dashboard")
        self.settle()
        menu = win.menuBar().actions()[0].menu()
        win.menuBar().setActiveAction(win.menuBar().actions()[0])
        self.settle(300)
        self.shot_screen("menu-tep", 520, 300)
        menu.hide()
        win.menuBar().setActiveAction(None)
        about = AboutDialog(win)
        about.show()
        self.shot(about, "gioi-thieu")
        about.close()


def fill_form(path: Path, seed: int, broken: bool = False) -> None:
    """Fill a returned form the way a unit officer would; `broken` adds two typical mistakes
    (a word where a number belongs, an unknown progress word) for the error screenshot."""
    from openpyxl import load_workbook

    from services.forms_common import ACT_FIRST_ROW, ACTIVITY, INFO, TASK_FIRST_ROW, TASKS, TEXT

    wb = load_workbook(path)
    ws = wb[TASKS]
    labels = ["Đang thực hiện", "Hoàn thành", "Đang thực hiện"]
    r = TASK_FIRST_ROW
    while ws[f"B{r}"].value:
        label = labels[(seed + r) % 3]
        ws[f"F{r}"] = label
        ws[f"G{r}"] = date(2026, 11, 20) if label == "Hoàn thành" else None
        ws[f"H{r}"] = "Đã triển khai theo kế hoạch, tổ chức tuyên truyền tại cơ sở."
        r += 1
    if broken:
        ws[f"F{TASK_FIRST_ROW}"] = "gần xong"
    ws = wb[ACTIVITY]
    r = ACT_FIRST_ROW
    while ws[f"B{r}"].value:
        ws[f"E{r}"] = (seed * 7 + r * 3) % 40 + 1
        r += 1
    if broken:
        ws[f"E{ACT_FIRST_ROW}"] = "mười hai"
    wb[TEXT]["B4"] = "Tổ chức 02 hội nghị phổ biến; đăng 15 tin bài trên cổng thông tin điện tử."
    wb[TEXT]["B6"] = "Đề nghị bổ sung kinh phí tuyên truyền năm 2027."
    wb[INFO]["C9"] = f"{120 + seed}/BC-UBND"
    wb[INFO]["C10"] = date(2026, 12, 3)
    wb.save(path)


def sample_pdf(path: Path) -> Path:
    """A one-page PDF standing for a unit's scanned report (to show an attachment)."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path))
    c.drawString(72, 770, "Bao cao thang 11/2026 (tep minh hoa)")
    c.save()
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description="Chụp màn hình cho hướng dẫn sử dụng.")
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"), help="thư mục ảnh")
    parser.add_argument("--only", nargs="*", default=[], help="chỉ chụp các ảnh có tên này")
    parser.add_argument("--keep", action="store_true", help="giữ thư mục tạm (cơ sở dữ liệu, biểu mẫu)")
    args = parser.parse_args(argv)
    _ensure_display(argv)

    # A fixed folder: the database path shown in the status bar is the same on every run.
    work = Path(tempfile.gettempdir()) / "secdesk-huong-dan"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    os.environ["SECDESK_TODAY"] = TODAY.isoformat()
    os.environ["HOME"] = str(work / "home")  # file dialogs' default folders, never the user's
    (work / "home").mkdir()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(out, work, set(args.only))
    try:
        shooter.run()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"Thư mục tạm: {work}")
    total = sum(size for _n, size in shooter.taken)
    print(f"{len(shooter.taken)} ảnh, tổng {total / 1024:.0f} KB trong {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
