"""The HTTP layer: a FastAPI app with a JSON API under /api/ and server-rendered pages beside it."""

from .app import create_app

__all__ = ["create_app"]
