"""Reusable widgets shared by the pages (tables, search boxes, file drop zones)."""
