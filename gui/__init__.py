"""PySide6 user interface: windows, pages, dialogs, table models, background task runner.

Widgets never build queries: they call services and show the plain dataclasses returned.
"""
