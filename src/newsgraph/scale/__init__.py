"""Scale-out: inputs cut into partitions, extracted on Dask workers, linked in input order, written resumably.

Dask, pyarrow and psycopg come with the `scale` extra and are imported only when a run asks for them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import Msg, NewsgraphError

EXTRA = "scale"


def require(module: str, feature: str, package: str | None = None) -> ModuleType:
    """Import `module`, or raise a coded error saying which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NewsgraphError(Msg.NG601, feature=feature, package=package or module.split(".")[0],
                             extra=EXTRA) from exc


__all__ = ["EXTRA", "require"]
