"""The tasks of a plan as a tree: section (IV.1) › task (IV.1.a) › units; a task given to a
group unit shows the group with its members under it. Status cells carry the class colour
and its words, so the tree reads the same in greyscale print."""
from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from services import task_status as ts
from services.assignments import AssignmentRow, TaskNode

TASK, ASSIGNMENT, GROUP, SECTION = "task", "assignment", "group", "section"
HEADERS = ["Nhiệm vụ / đơn vị", "Vai trò", "Thời hạn", "Tiến độ", "Tình trạng"]
KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def summary_text(rows: list[AssignmentRow] | tuple[AssignmentRow, ...], noun: str = "đơn vị") -> tuple[str, str | None]:
    """A task's (or group's) cell: '3/17 hoàn thành · 2 quá hạn' and the colour of the worst class."""
    if not rows:
        return "Chưa giao đơn vị nào", None
    c = Counter(r.status for r in rows)
    done = sum(1 for r in rows if r.progress == "xong")
    parts = [f"{done}/{len(rows)} hoàn thành"]
    late = c[ts.DANG_QUA_HAN] + c[ts.CHUA_QUA_HAN]
    if late:
        parts.append(f"{late} quá hạn")
    if c[ts.SAP_DEN_HAN]:
        parts.append(f"{c[ts.SAP_DEN_HAN]} sắp đến hạn")
    for key in (ts.CHUA_QUA_HAN, ts.DANG_QUA_HAN, ts.SAP_DEN_HAN, ts.XONG_QUA_HAN, ts.DANG_TRONG_HAN,
                ts.CHUA_TRONG_HAN, ts.XONG_DUNG_HAN, ts.THUONG_XUYEN):
        if c[key]:
            worst = key
            break
    if len(c) == 1:
        return ts.label(worst) + (f" ({len(rows)} {noun})" if len(rows) > 1 else ""), ts.COLORS[worst]
    return " · ".join(parts), ts.COLORS[worst]


class TaskTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("task_tree")
        self.setColumnCount(len(HEADERS))
        self.setHeaderLabels(HEADERS)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setStyleSheet("QTreeWidget::item { padding: 2px 0px; }")
        head = self.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # long task texts get the room
        for i, w in enumerate((72, 100, 105, 240), start=1):
            head.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(i, w)
        self._expanded: set[tuple[str, str]] = set()
        self._first = True

    def _item(self, parent, texts: list[str], kind: str, key: object,  # noqa: ANN001
              color: str | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, texts)
        item.setData(0, KIND_ROLE, kind)
        item.setData(0, ID_ROLE, key)
        for i, text in enumerate(texts):
            item.setToolTip(i, text)
        if color:
            item.setBackground(4, QBrush(QColor(color)))
        return item

    def populate(self, nodes: list[TaskNode], reset: bool = False) -> None:
        """Rebuild, keeping which branches were open (sections and tasks open the first time
        and when `reset`, e.g. another plan is shown)."""
        if reset:
            self._first = True
        if not self._first:
            self._remember()
        self.clear()
        sections: dict[str, QTreeWidgetItem] = {}
        bold = QFont()
        bold.setBold(True)
        for node in nodes:
            t = node.task
            sec = t.section or "—"
            if sec not in sections:
                sec_rows = [a for n in nodes if (n.task.section or "—") == sec for a in n.assignments]
                text, color = summary_text(sec_rows, "lượt giao")
                item = self._item(self, [f"Mục {sec}", "", "", "", text], SECTION, sec, color)
                item.setFont(0, bold)
                sections[sec] = item
            text, color = summary_text(node.assignments)
            ti = self._item(sections[sec], [f"{t.code}. {t.text}", "", t.due_text, "", text], TASK, t.id, color)
            groups: dict[int, QTreeWidgetItem] = {}
            for a in node.assignments:
                parent = ti
                if a.via_unit_id:
                    if a.via_unit_id not in groups:
                        members = [x for x in node.assignments if x.via_unit_id == a.via_unit_id]
                        gtext, gcolor = summary_text(members)
                        groups[a.via_unit_id] = self._item(
                            ti, [f"{a.via_unit_name} ({len(members)} đơn vị)", a.role, "", "", gtext], GROUP,
                            f"{t.id}:{a.via_unit_id}", gcolor)
                    parent = groups[a.via_unit_id]
                due = a.due_text if a.effective_due != t.due_date else ""
                self._item(parent, [a.unit_name, a.role, due, a.progress_label, a.status_label], ASSIGNMENT,
                           a.id, a.status_color)
        self._restore()

    def _key(self, item: QTreeWidgetItem) -> tuple[str, str]:
        return item.data(0, KIND_ROLE), str(item.data(0, ID_ROLE))

    def _walk(self, item: QTreeWidgetItem | None = None):  # noqa: ANN202
        items = [self.topLevelItem(i) for i in range(self.topLevelItemCount())] if item is None else \
            [item.child(i) for i in range(item.childCount())]
        for it in items:
            yield it
            yield from self._walk(it)

    def _remember(self) -> None:
        self._expanded = {self._key(it) for it in self._walk() if it.isExpanded()}

    def _restore(self) -> None:
        for it in self._walk():
            kind = it.data(0, KIND_ROLE)
            # First time: sections and tasks open, groups closed (a group can have dozens of members).
            it.setExpanded(kind in (SECTION, TASK) if self._first else self._key(it) in self._expanded)
        self._first = False

    def current(self) -> tuple[str | None, object]:
        item = self.currentItem()
        if item is None:
            return None, None
        return item.data(0, KIND_ROLE), item.data(0, ID_ROLE)

    def task_id_of_current(self) -> int | None:
        item = self.currentItem()
        while item is not None and item.data(0, KIND_ROLE) != TASK:
            item = item.parent()
        return item.data(0, ID_ROLE) if item is not None else None

    def select(self, kind: str, key: object) -> bool:
        for it in self._walk():
            if it.data(0, KIND_ROLE) == kind and it.data(0, ID_ROLE) == key:
                self.setCurrentItem(it)
                return True
        return False
