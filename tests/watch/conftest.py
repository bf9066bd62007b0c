"""The watch tests' fixtures: the local HTTP server (watchsite.py)."""

from watchsite import site  # noqa: F401
