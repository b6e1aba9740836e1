"""Qt's own buttons speak Vietnamese."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from gui.app import make_app


def test_standard_buttons_are_vietnamese(qapp) -> None:  # noqa: ANN001
    make_app()
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert box.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Có"
    assert box.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Không"
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert bb.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "") == "Đồng ý"
    assert bb.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Hủy"


def test_texts_not_in_the_dictionary_keep_qt_wording(qapp) -> None:  # noqa: ANN001
    make_app()
    bb = QDialogButtonBox(QDialogButtonBox.StandardButton.SaveAll)
    assert bb.button(QDialogButtonBox.StandardButton.SaveAll).text() == "Save All"  # not blanked
