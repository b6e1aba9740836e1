"""Tables for every page.

`Column` says how to show one field of a row dataclass. `LazyTableModel` holds only the
ids of the rows (in the order the service's SQL sorted them) and fetches the rows
themselves a page at a time as they are shown, so 50,000 rows open instantly.
Clicking a header asks the page to re-query with ORDER BY (sorting happens in SQL).
`DataTable` is the view: sortable header, Ctrl+E / context menu export to Excel,
column widths remembered per table.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

PAGE_SIZE = 200


@dataclass(frozen=True)
class Column:
    key: str  # attribute of the row dataclass; also the sort key passed to the service
    title: str
    width: int = 120
    fmt: Callable[[Any], str] | None = None  # value → text
    align: Qt.AlignmentFlag | None = None
    sortable: bool = True
    color: Callable[[Any], str | None] | None = None  # row → background colour "#rrggbb"


def _text(col: Column, value: Any) -> str:
    if col.fmt:
        return col.fmt(value)
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", ".") if value % 1 else f"{int(value):,}".replace(",", ".")
    return str(value)


class LazyTableModel(QAbstractTableModel):
    """Rows identified by ids; `fetch(ids) -> rows` (same order) is called per page."""

    sort_requested = Signal(str, bool)  # column key, descending

    def __init__(self, columns: Sequence[Column], fetch: Callable[[list[int]], list[Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._fetch = fetch
        self._ids: list[int] = []
        self._cache: dict[int, Any] = {}

    # data ---------------------------------------------------------------
    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self.endResetModel()

    def set_rows(self, rows: Sequence[Any], id_attr: str = "id") -> None:
        """For small tables: rows already fetched."""
        self.beginResetModel()
        self._ids = [getattr(r, id_attr) for r in rows]
        self._cache = {i: r for i, r in enumerate(rows)}
        self.endResetModel()

    def ids(self) -> list[int]:
        return list(self._ids)

    def row(self, index: int) -> Any:
        if index not in self._cache:
            start = (index // PAGE_SIZE) * PAGE_SIZE
            page_ids = self._ids[start:start + PAGE_SIZE]
            for offset, r in enumerate(self._fetch(page_ids)):
                self._cache[start + offset] = r
        return self._cache.get(index)

    def all_rows(self) -> list[Any]:
        return [self.row(i) for i in range(len(self._ids))]

    # Qt model -------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        r = self.row(index.row())
        if r is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(col, getattr(r, col.key, None))
        if role == Qt.ItemDataRole.BackgroundRole and col.color:
            c = col.color(r)
            return QBrush(QColor(c)) if c else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align is not None:
            return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        col = self.columns[column]
        if col.sortable:
            self.sort_requested.emit(col.key, order == Qt.SortOrder.DescendingOrder)

    def export_table(self) -> tuple[list[str], list[list[Any]]]:
        headers = [c.title for c in self.columns]
        rows = [[_text(c, getattr(r, c.key, None)) for c in self.columns] for r in self.all_rows()]
        return headers, rows


class DataTable(QTableView):
    """Sortable table view with Excel export and remembered column widths."""

    activated_row = Signal(object)  # the row dataclass double-clicked / Enter

    def __init__(self, name: str, model: LazyTableModel, parent: QWidget | None = None,
                 title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(f"table_{name}")
        self.name = name
        self.title = title or name
        self.setModel(model)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for i, c in enumerate(model.columns):
            self.setColumnWidth(i, c.width)
        self.doubleClicked.connect(lambda ix: self.activated_row.emit(model.row(ix.row())))
        export = QAction("Xuất ra Excel…", self)
        export.setShortcut(QKeySequence("Ctrl+E"))
        export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.triggered.connect(self.export_dialog)
        self.addAction(export)
        self._export_action = export
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.restore_widths()

    def lazy_model(self) -> LazyTableModel:
        return self.model()  # type: ignore[return-value]

    def current_row(self) -> Any:
        ix = self.currentIndex()
        return self.lazy_model().row(ix.row()) if ix.isValid() else None

    def selected_rows(self) -> list[Any]:
        m = self.lazy_model()
        return [m.row(ix.row()) for ix in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.current_row())
            return
        super().keyPressEvent(event)

    def _menu(self, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        for act in self.actions():
            menu.addAction(act)
        menu.exec(self.viewport().mapToGlobal(pos))

    def export_dialog(self) -> None:
        from gui.messages import show_error

        path, _ = QFileDialog.getSaveFileName(self, "Xuất ra Excel", f"{self.name}.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        try:
            self.export_to(path)
        except Exception as e:  # noqa: BLE001 - shown to the user
            show_error(self, e)

    def export_to(self, path: str) -> None:
        from services.xlsx_tables import export_rows

        headers, rows = self.lazy_model().export_table()
        export_rows(path, headers, rows, title=self.title)

    def save_widths(self) -> None:
        s = QSettings()
        s.setValue(f"tables/{self.name}/widths", [self.columnWidth(i) for i in range(self.model().columnCount())])

    def restore_widths(self) -> None:
        widths = QSettings().value(f"tables/{self.name}/widths")
        if isinstance(widths, list):
            for i, w in enumerate(widths[: self.model().columnCount()]):
                try:
                    self.setColumnWidth(i, int(w))
                except (TypeError, ValueError):
                    pass

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.save_widths()
        super().hideEvent(event)
