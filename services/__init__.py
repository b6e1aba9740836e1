"""Use cases and queries. No Qt here (tests/test_layers.py enforces it).

Services take a models.db.Database, open one unit of work per call and return
plain dataclasses, never live ORM objects.
"""
