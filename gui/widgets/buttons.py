"""The OK/Cancel row every edit dialog has, worded in Vietnamese and wired to accept/reject."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox

SB = QDialogButtonBox.StandardButton


def dialog_buttons(dialog: QDialog, ok_text: str = "&Lưu", ok: SB = SB.Save) -> QDialogButtonBox:
    buttons = QDialogButtonBox(ok | SB.Cancel)
    buttons.button(ok).setText(ok_text)
    buttons.button(SB.Cancel).setText("&Hủy")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
