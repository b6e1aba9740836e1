"""About box: version and the licences of the bundled fonts and libraries."""
from __future__ import annotations

from importlib import metadata

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

LIBRARIES = [
    ("PySide6 (Qt for Python)", "PySide6", "LGPL-3.0 (Qt Charts: GPL-3.0)"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("openpyxl", "openpyxl", "MIT"),
    ("python-docx", "python-docx", "MIT"),
    ("ReportLab", "reportlab", "BSD"),
    ("holidays", "holidays", "MIT"),
    ("defusedxml", "defusedxml", "PSF-2.0"),
    ("platformdirs", "platformdirs", "MIT"),
]


def app_version() -> str:
    try:
        return metadata.version("secdesk")
    except metadata.PackageNotFoundError:
        import tomllib

        from services.resources import resources_dir

        pyproject = resources_dir().parent / "pyproject.toml"
        if pyproject.exists():
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        return "?"


def _lib_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu SecDesk")
        self.resize(560, 480)
        rows = "".join(f"<tr><td>{n}</td><td>{_lib_version(d)}</td><td>{lic}</td></tr>" for n, d, lic in LIBRARIES)
        html = (
            f"<h2>SecDesk {app_version()}</h2>"
            "<p>Phần mềm giúp bộ phận tham mưu, giúp việc theo dõi kế hoạch, chế độ báo cáo, "
            "chỉ tiêu và soạn văn bản theo thể thức Nghị định 30/2020/NĐ-CP.</p>"
            "<h3>Phông chữ kèm theo</h3><p>Liberation Serif 2.1.5 — SIL Open Font License 1.1 "
            "(resources/fonts/OFL-LiberationSerif.txt). Dùng cho văn bản PDF, tương thích kích thước "
            "với Times New Roman, đủ dấu tiếng Việt.</p>"
            f"<h3>Thư viện</h3><table cellpadding='3'><tr><th align='left'>Thư viện</th>"
            f"<th align='left'>Phiên bản</th><th align='left'>Giấy phép</th></tr>{rows}</table>"
        )
        text = QTextBrowser()
        text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")  # Qt has no Vietnamese translation
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)
