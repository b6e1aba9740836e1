"""Vietnamese for Qt's own texts (standard buttons, file and print dialogs).

Qt ships no Vietnamese translation, so without this "Yes", "Cancel" or "Print" appear in
English in message boxes and standard dialogs. A small dictionary answers Qt's own
translate() calls; anything not listed stays as Qt wrote it.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

TEXTS = {
    "OK": "Đồng ý", "&OK": "Đồng &ý", "Cancel": "Hủy", "&Cancel": "&Hủy",
    "Yes": "Có", "&Yes": "&Có", "No": "Không", "&No": "&Không",
    "Yes to &All": "Có với &tất cả", "N&o to All": "K&hông với tất cả",
    "Close": "Đóng", "&Close": "Đó&ng", "Save": "Lưu", "&Save": "&Lưu", "Open": "Mở", "&Open": "&Mở",
    "Apply": "Áp dụng", "Reset": "Đặt lại", "Help": "Trợ giúp", "Discard": "Bỏ qua",
    "Don't Save": "Không lưu", "Close without Saving": "Đóng mà không lưu",
    "Retry": "Thử lại", "Ignore": "Bỏ qua", "Abort": "Dừng", "Restore Defaults": "Khôi phục mặc định",
    "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
    "Print": "In", "&Print": "&In", "&Print...": "&In…", "Print Preview": "Xem trước khi in",
    "Page setup": "Thiết lập trang", "Page Setup": "Thiết lập trang",
    "Next page": "Trang sau", "Previous page": "Trang trước", "First page": "Trang đầu",
    "Last page": "Trang cuối", "Fit width": "Vừa chiều rộng", "Fit page": "Vừa trang",
    "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ", "Portrait": "Trang dọc", "Landscape": "Trang ngang",
    "Show single page": "Xem từng trang", "Show facing pages": "Xem hai trang",
    "Show overview of all pages": "Xem tất cả các trang", "Export to PDF": "Xuất ra PDF",
    "Look in:": "Tìm trong:", "File &name:": "Tên &tệp:", "Files of type:": "Loại tệp:",
    "Directory:": "Thư mục:", "&Choose": "&Chọn", "Back": "Quay lại", "Forward": "Tiếp",
    "Parent Directory": "Thư mục cha", "Create New Folder": "Tạo thư mục mới",
    "List View": "Dạng danh sách", "Detail View": "Dạng chi tiết", "Name": "Tên", "Size": "Cỡ",
    "Type": "Loại", "Date Modified": "Ngày sửa", "My Computer": "Máy tính", "Computer": "Máy tính",
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "&Sao chép",
    "&Paste": "&Dán", "Delete": "Xóa", "Select All": "Chọn tất cả",
}


class VietnameseQtTranslator(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None,  # noqa: ARG002
                  n: int = -1) -> str | None:
        # None (a null QString) means "not translated here": Qt keeps its own text. An empty
        # string would be taken as the translation and blank the button or label.
        return TEXTS.get(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def install(app: QCoreApplication) -> VietnameseQtTranslator:
    translator = VietnameseQtTranslator(app)
    app.installTranslator(translator)
    return translator
