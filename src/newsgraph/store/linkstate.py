"""The linker's state in the store, so that an ingest carries on where the last one stopped instead of replaying.

A snapshot is every attribute of the Linker's parts (identities, posts, copies, statements, stories) except
what their constructors rebuild from the settings and the data tables (`REBUILT`), pickled into `link_state.data`; `link_state.state` holds, as JSON, its format, fingerprint, position and size.

Why pickle: the state is a web of objects (stories holding their undecided records, LSH buckets, MinHash
signatures, identities shared by several indexes) that other engineers keep extending; a generic
serialisation follows a new field without a to/from JSON per class, and keeps the sharing between
objects. Loading a pickle can run code, so a snapshot is read by an unpickler that builds only
newsgraph's linking and record classes, the standard containers, dates, numpy arrays and datasketch's
sketches (`_Unpickler.find_class`): a store written by someone else cannot make newsgraph call anything
else. The store is the user's own file all the same: treat it as you would any file you open.

Why a fingerprint: a snapshot is only good for the code and settings that wrote it. The fingerprint hashes
the source of the linking modules (and of the newsgraph modules they use), the data tables they name, the
versions of the libraries whose objects are pickled, and the linker's settings; any change, or a store
written before snapshots existed, means the stored records are replayed once and a new snapshot saved.
Nobody has to remember to bump a number when a class gains a field.

Why lazily: restoring is the one cost an ingest into a big store pays over an ingest into an empty one, and
almost all of it is making objects (at 10,000 articles, a million: a story's centroid terms, a statement's
shingles, the statements' shingle postings). A new article reads only a few of them: the centroids of the
stories it is compared with (at most `candidates`), the postings of its quotes' shingles. So those three are
saved compactly (one string of terms and one array of weights per centroid, one string of shingles per
statement, the postings as one string of keys and arrays of statement numbers) and made into objects when
first used; one saved again untouched is written as it was read (`_StoredState`, `_StoredStatement`,
`_Postings`). A new field of theirs is kept as it is: only the named attributes are packed.

Why a position: the snapshot records the highest `articles.id` whose record the linker has seen. Records
stored after it (a run killed between its writes and its next checkpoint) are replayed on restore, in
order, so the linker always matches exactly the records stored; that is also why a checkpoint saves the
snapshot only every `SAVE_AFTER` articles (an ingest of one article into a big store replays it next time
rather than writing the whole state again). A checkpoint writes the records still undecided
(`[link.stories] lag`) as they stand and the snapshot in one transaction; when those records
settle later (in this run or the next), a changed story is written again (`StoreWriter`: same content,
new story), so an ingest of A then B stores what one ingest of A and B does.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import importlib.metadata
import io
import pickle
import pkgutil
import re
import sys
import time
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from ..config import Settings
from ..link import Linker
from ..link.propagation import QuotePropagator, Statement
from ..link.stories import _State
from ..records import Record
from . import Store
from .schema import articles, link_state

STATE_KEY = "linker"
FORMAT = 2  # the layout of the snapshot itself (what `_parts` saves); the fingerprint covers the rest
# Attributes a part's constructor rebuilds from its settings and data tables: big, and a newer table wins.
REBUILT = frozenset({"config", "aliases", "abbreviations", "words", "post_urls", "prior", "prior_default", "_terms",
                     "_empty", "_made_with", "_H"})
# Modules the linking code imports that shape no state: error messages, settings plumbing (the link settings'
# values are in the fingerprint themselves). A new message must not make every store replay.
NOT_STATE = frozenset({"newsgraph.errors", "newsgraph.config"})
LIBRARIES = ("datasketch", "numpy", "rapidfuzz", "spacy")
REPLAY_BATCH = 200  # replayed records whose story changed are written this many per transaction
CHECKPOINT_SECONDS = 60.0  # a long ingest checkpoints at least this often: a kill -9 replays less
# A checkpoint saves the snapshot only when at least this many articles were linked since the saved one: below
# that, replaying them on the next restore (about 10 ms each) costs less than writing the whole state again
# (about a second at 10,000 articles), so one article added to a big store leaves the snapshot as it was.
SAVE_AFTER = 50


class SnapshotError(Exception):
    """A snapshot that cannot be used (unreadable, or it names a class outside the allow-list)."""


# ---------------------------------------------------------------- fingerprint

def _link_modules() -> list[ModuleType]:
    import newsgraph.link as package

    mods = [package] + [importlib.import_module(f"{package.__name__}.{m.name}")
                        for m in pkgutil.iter_modules(package.__path__)]
    used: dict[str, ModuleType] = {m.__name__: m for m in mods}
    for mod in mods:  # the newsgraph modules the linking code calls into (records, name keys, tables)
        for value in vars(mod).values():
            name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
            if (isinstance(name, str) and name.startswith("newsgraph.") and name in sys.modules
                    and name not in NOT_STATE):
                used.setdefault(name, sys.modules[name])
    return [used[name] for name in sorted(used)]


def _code_hash() -> str:
    from .. import data

    digest = hashlib.sha256()
    sources = []
    for mod in _link_modules():
        path = getattr(mod, "__file__", None)
        if path:
            text = Path(path).read_bytes()
            sources.append(text)
            digest.update(mod.__name__.encode() + b"\0" + text)
    # the data tables the linking code names ("entity_aliases.tsv", ...): a new alias table changes identities
    named = set(re.findall(rb"[\w-]+\.(?:tsv|json|csv|txt)\b", b"\n".join(sources)))
    folder = Path(data.__file__).parent
    for name in sorted(named):
        path = folder / name.decode()
        if path.is_file():
            digest.update(name + b"\0" + path.read_bytes())
    for lib in LIBRARIES:
        try:
            digest.update(f"{lib}={importlib.metadata.version(lib)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{lib}=none".encode())
    digest.update(f"python={sys.version_info[:2]} pickle={pickle.HIGHEST_PROTOCOL}".encode())
    return digest.hexdigest()


_CODE: str | None = None


def fingerprint(linker: Linker) -> str:
    """What a snapshot is good for: this code, these tables, these libraries, these settings."""
    global _CODE
    if _CODE is None:
        _CODE = _code_hash()
    settings = sorted((name, repr(getattr(part, "config", None))) for name, part in vars(linker).items()
                      if _is_part(part))
    return hashlib.sha256(f"{FORMAT}|{_CODE}|{settings!r}".encode()).hexdigest()[:32]


# ---------------------------------------------------------------- (de)serialisation

def _is_part(value: Any) -> bool:
    return getattr(type(value), "__module__", "").startswith("newsgraph.link") and hasattr(value, "__dict__")


def _parts(linker: Linker) -> dict[str, Any]:
    """The linker's state: each part's attributes but the rebuilt ones; other attributes as they are."""
    out: dict[str, Any] = {}
    for name, value in vars(linker).items():
        if name in REBUILT:
            continue
        if _is_part(value):
            out[name] = {k: (_PACKED[(type(value), k)][0](v) if (type(value), k) in _PACKED else v)
                         for k, v in vars(value).items() if k not in REBUILT}
        else:
            out[name] = ("value", value)
    return out


def _lsh_state(lsh: Any) -> tuple:
    # MinHashLSH keeps a bound method (`_H`), which pickle would rebuild through getattr: rebuilt here instead
    return _lsh_rebuild, (type(lsh), {k: v for k, v in vars(lsh).items() if k != "_H"})


def _lsh_rebuild(cls: type, state: dict[str, Any]) -> Any:
    from datasketch import MinHashLSH

    if cls is not MinHashLSH:
        raise SnapshotError(f"not an LSH index: {cls!r}")
    lsh = object.__new__(cls)
    vars(lsh).update(state)
    lsh._H = lsh._hashed_byteswap if lsh.hashfunc else lsh._byteswap
    return lsh


# ---------------------------------------------------------------- packed parts, unpacked when first used

_SEP = "\x1f"  # between the terms (shingles, keys) of one packed string: str.split() takes it for whitespace, so
# neither an entity term nor a word ever holds it; a part that does is saved as it is, unpacked


def _packable(strings: Any) -> bool:
    return all(_SEP not in s for s in strings)


class _StoredState(_State):
    """A story restored from a snapshot: its centroid is made into a dict when first read."""

    @property  # type: ignore[override]
    def centroid(self) -> dict[str, float]:
        found = self.__dict__.get("_centroid")
        if found is None:
            terms, weights = self.__dict__.pop("_packed")
            found = self.__dict__["_centroid"] = dict(zip(terms.split(_SEP) if terms else [], weights.tolist(),
                                                          strict=True))
        return found

    @centroid.setter
    def centroid(self, value: dict[str, float]) -> None:
        self.__dict__["_centroid"] = value
        self.__dict__.pop("_packed", None)


def _state_reduce(state: _State) -> tuple:
    fields = dict(vars(state))
    packed = fields.pop("_packed", None)
    centroid = fields.pop("_centroid", None) if packed is None else None
    if packed is None:
        centroid = fields.pop("centroid", centroid)
        if not _packable(centroid):
            return _made, ("state",), {**fields, "_centroid": centroid}
        packed = (_SEP.join(centroid), np.fromiter(centroid.values(), np.float64, len(centroid)))
    return _made, ("state",), {**fields, "_packed": packed}


class _StoredStatement(Statement):
    """A statement restored from a snapshot: its shingles are made into a frozenset when first read."""

    @property  # type: ignore[override]
    def shingles(self) -> frozenset:
        found = self.__dict__.get("_shingles")
        if found is None:
            packed = self.__dict__.pop("_packed")
            found = self.__dict__["_shingles"] = frozenset(packed.split(_SEP)) if packed else frozenset()
        return found

    @shingles.setter
    def shingles(self, value: frozenset) -> None:
        self.__dict__["_shingles"] = value
        self.__dict__.pop("_packed", None)


def _statement_reduce(st: Statement) -> tuple:
    fields = dict(vars(st))
    packed = fields.pop("_packed", None)
    if packed is None:
        shingles = fields.pop("_shingles", None)
        shingles = fields.pop("shingles", shingles)
        if not _packable(shingles):
            return _made, ("statement",), {**fields, "_shingles": shingles}
        packed = _SEP.join(shingles)
    return _made, ("statement",), {**fields, "_packed": packed}


_CLASSES = {"state": _StoredState, "statement": _StoredStatement}


def _made(kind: str) -> Any:
    """An empty restored object, its fields set by the unpickler (the snapshot's BUILD)."""
    return object.__new__(_CLASSES[kind])


class _Postings(dict):
    """The propagator's shingle postings (shingle -> statement ids), restored from a snapshot: a shingle's list
    is made when first used. The packed ones are found by bisection in the sorted keys."""

    def __init__(self, keys: list[str], ids: list[str], flat: np.ndarray, ends: np.ndarray) -> None:
        super().__init__()
        self._keys, self._ids, self._flat, self._ends = keys, ids, flat, ends
        self._out: set[str] = set()  # packed keys made into lists, or deleted

    def _packed(self, key: Any) -> int | None:
        if not isinstance(key, str) or key in self._out:
            return None
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def _unpack(self, key: Any) -> bool:
        """Whether `key` is here (made into its list now if it was packed)."""
        if dict.__contains__(self, key):
            return True
        i = self._packed(key)
        if i is None:
            return False
        start = int(self._ends[i - 1]) if i else 0
        dict.__setitem__(self, key, [self._ids[j] for j in self._flat[start:int(self._ends[i])].tolist()])
        self._out.add(key)
        return True

    def _all(self) -> None:
        for key in self._keys:
            if key not in self._out:
                self._unpack(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._packed(key) is not None

    def __getitem__(self, key: Any) -> Any:
        self._unpack(key)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.__getitem__(self, key) if self._unpack(key) else default

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._unpack(key)
        return dict.setdefault(self, key, default)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._unpack(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._unpack(key)
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._unpack(key)
        return dict.pop(self, key, *default)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._keys) - len(self._out)

    def __iter__(self):  # type: ignore[override]
        self._all()
        return dict.__iter__(self)

    def keys(self):  # type: ignore[override]
        self._all()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self._all()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._all()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]


def _pack_postings(postings: dict[str, list[str]]) -> Any:
    """Postings as (sorted keys, statement ids, their numbers in key order, each key's end), or as they are."""
    if isinstance(postings, _Postings):  # the lists made since the restore, and those still packed
        made = {k: dict.__getitem__(postings, k) for k in dict.keys(postings)}
        ends = postings._ends.tolist()
        flat = postings._flat.tolist()
        for i, key in enumerate(postings._keys):
            if key not in postings._out:
                made[key] = [postings._ids[j] for j in flat[(ends[i - 1] if i else 0):ends[i]]]
        postings = made
    keys = sorted(postings)
    if not _packable(keys):
        return ("plain", dict(postings))
    number: dict[str, int] = {}
    flat_ids = [number.setdefault(sid, len(number)) for key in keys for sid in postings[key]]
    ends = np.cumsum([len(postings[key]) for key in keys], dtype=np.int64) if keys else np.zeros(0, np.int64)
    return ("packed", _SEP.join(keys), _SEP.join(number), np.asarray(flat_ids, dtype=np.int32), ends)


def _unpack_postings(saved: Any) -> dict[str, list[str]]:
    if saved[0] == "plain":
        return saved[1]
    _, keys, ids, flat, ends = saved
    return _Postings(keys.split(_SEP) if keys else [], ids.split(_SEP) if ids else [], flat, ends)


# Attributes of a part saved packed: (part class, attribute) -> (pack, unpack)
_PACKED: dict[tuple[type, str], tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    (QuotePropagator, "postings"): (_pack_postings, _unpack_postings),
}


def dump(linker: Linker) -> bytes:
    from datasketch import MinHashLSH

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {MinHashLSH: _lsh_state, _State: _state_reduce, _StoredState: _state_reduce,
                              Statement: _statement_reduce, _StoredStatement: _statement_reduce}
    with _no_gc():
        pickler.dump((FORMAT, _parts(linker)))
    # not compressed: zlib (level 1) would make it 4x smaller but cost more than the write it saves
    return buffer.getvalue()


@contextlib.contextmanager
def _no_gc():
    """The cyclic collector off while millions of small objects are made: it would walk them again and again
    (loading a snapshot of 1,000 articles: 1.2 s with it, 0.3 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# (module, name) pairs a snapshot may name besides newsgraph's own classes
_ALLOWED = {
    ("builtins", n) for n in ("set", "frozenset", "dict", "list", "tuple", "bytearray", "int", "float", "str",
                              "complex", "slice", "bool", "object")
} | {
    ("collections", n) for n in ("OrderedDict", "defaultdict", "deque", "Counter")
} | {
    ("datetime", n) for n in ("date", "datetime", "timedelta", "timezone")
} | {
    (m, "_reconstruct") for m in ("numpy.core.multiarray", "numpy._core.multiarray")
} | {
    (m, "_frombuffer") for m in ("numpy.core.numeric", "numpy._core.numeric")
} | {
    ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.dtypes", "UInt64DType"), ("numpy.dtypes", "UInt32DType"),
    ("numpy.dtypes", "Int32DType"), ("numpy.dtypes", "Int64DType"), ("numpy.dtypes", "Float64DType"),
    ("zlib", "crc32"), (__name__, "_lsh_rebuild"), (__name__, "_made"),
}
_ALLOWED_PACKAGES = ("newsgraph.link.", "datasketch.")


class _Unpickler(pickle.Unpickler):
    """Builds only what a snapshot is made of: classes of newsgraph's linking code and records, containers,
    dates, numpy arrays, datasketch sketches; anything else is refused (a snapshot is data, never code)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if "." not in name and (module == "newsgraph.records" or module.startswith(_ALLOWED_PACKAGES)
                                or module == "newsgraph.link"):
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise SnapshotError(f"a snapshot may not name {module}.{name}")


def load(linker: Linker, data: bytes) -> Linker:
    """Put the snapshot `data` into `linker` (built from the current settings); SnapshotError if unusable."""
    try:
        with _no_gc():
            fmt, parts = _Unpickler(io.BytesIO(data)).load()
    except SnapshotError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign snapshot is replayed, never fatal
        raise SnapshotError(f"{type(exc).__name__}: {exc}") from exc
    if fmt != FORMAT or not isinstance(parts, dict):
        raise SnapshotError(f"snapshot format {fmt!r}, this newsgraph writes {FORMAT}")
    for name, saved in parts.items():
        if isinstance(saved, tuple) and saved[:1] == ("value",):
            setattr(linker, name, saved[1])
        elif name in vars(linker) and _is_part(getattr(linker, name)):
            part = getattr(linker, name)
            vars(part).update({k: (_PACKED[(type(part), k)][1](v) if (type(part), k) in _PACKED else v)
                               for k, v in saved.items()})
        else:
            raise SnapshotError(f"the linker has no part {name!r}")
    return linker


# ---------------------------------------------------------------- the store

def read(store: Store) -> tuple[dict[str, Any] | None, bytes | None]:
    with store.engine.connect() as conn:
        row = conn.execute(select(link_state.c.state, link_state.c.data)
                           .where(link_state.c.name == STATE_KEY)).first()
    return (row[0], row[1]) if row is not None else (None, None)


def read_meta(store: Store) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        return conn.execute(select(link_state.c.state).where(link_state.c.name == STATE_KEY)).scalar()


def top_article(conn: Connection) -> int:
    return conn.execute(select(func.max(articles.c.id))).scalar() or 0


def save_in(conn: Connection, linker: Linker, position: int, data: bytes | None = None) -> dict[str, Any]:
    """Write the snapshot of `linker` (having seen every article up to `position`) in the caller's transaction."""
    data = dump(linker) if data is None else data
    meta = {"format": FORMAT, "fingerprint": fingerprint(linker), "position": position, "bytes": len(data),
            "saved_at": time.time()}
    conn.execute(delete(link_state).where(link_state.c.name == STATE_KEY))
    conn.execute(insert(link_state).values(name=STATE_KEY, state=meta, data=data))
    return meta


class StoreLinker:
    """The linker of a run that writes into a store: restored from the store's snapshot (plus the records stored
    after it), and saved back at checkpoints.

    It stands in for a Linker (`link`, `flush`, `prepare`, ...). Records carried over from an earlier run (the
    snapshot's undecided ones, replayed ones) that settle now are not handed on as this run's: they are
    stored already, and only a changed story is written again, here. With `checkpoints`, `flush` (end of
    input) checkpoints first, and so does `link` every `CHECKPOINT_SECONDS`; a partitioned run saves the
    snapshot with each partition instead (`save_in` inside its transaction).
    """

    def __init__(self, store: Store, settings: Settings | None = None, *, checkpoints: bool = True,
                 on_notice: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.checkpoints = checkpoints
        self.on_notice = on_notice
        self.replayed = 0
        self.restored = False  # whether the snapshot was used (False: none, stale, or unreadable)
        self.last_save = time.monotonic()
        self._mine: set[int] = set()  # id() of the records this run linked and has not handed on yet
        self._early: dict[int, bool] = {}  # ... of those a checkpoint wrote: whether that write changed the store
        self._accounted: set[str] = set()  # doc_ids linked here since `position` (those stored after it are ours)
        self.unsaved = 0  # articles linked (or replayed) since the snapshot in the store
        self.position = 0
        self.linker, _ = self._restore()

    def __getattr__(self, name: str) -> Any:  # prepare, stories, the parts: the Linker's own
        if name == "linker":
            raise AttributeError(name)
        return getattr(self.linker, name)

    # ---- restoring
    def _fresh(self) -> Linker:
        return Linker() if self.settings is None else Linker.from_settings(self.settings)

    def _restore(self) -> tuple[Linker, int]:
        gc.unfreeze()  # a linker restored again (the API's): the objects of the one before may go
        linker, position = self._fresh(), 0
        meta, data = read(self.store)
        if meta and data is not None and meta.get("fingerprint") == fingerprint(linker):
            try:
                load(linker, data)
                # millions of long-lived objects: out of the cyclic collector's sight, or every full collection
                # during the run (the model's load, the extraction) walks them all again
                gc.freeze()
                position = int(meta["position"])
                self.restored = True
            except SnapshotError as exc:
                self._notice(f"the linker's snapshot cannot be used ({exc}): the store is replayed once")
                linker = self._fresh()
        elif meta:
            self._notice("the linker's snapshot was written by another version or other settings: "
                         "the store is replayed once")
        self.linker = linker
        top = self._replay(position)
        self._at(top)
        self.unsaved = self.replayed
        if self.replayed:  # replayed once (and saved, when worth it): the next run starts from here
            self.checkpoint()
        return linker, top

    def _replay(self, position: int) -> int:
        """Link the records stored after `position`, in order; their settled stories are written if changed."""
        with self.store.engine.connect() as conn:
            top = top_article(conn)
        if top <= position:
            return position
        for data in self.store.queries.records(after=position, upto=top):
            self._write_carried(self.linker.link(Record.from_dict(data)))
            self.replayed += 1
        return top

    def in_step(self) -> bool:
        """Whether no other process stored articles since this linker last saw the store (a long-lived linker,
        the API's, restores again when one did)."""
        with self.store.engine.connect() as conn:
            return top_article(conn) == self.position

    def advance(self) -> None:
        """The caller stored every record it linked: the linker has seen the store up to its newest article."""
        with self.store.engine.connect() as conn:
            self._at(top_article(conn))

    def _at(self, position: int) -> None:
        self.position = position
        self._accounted = set()

    def _foreign(self, conn: Connection, top: int) -> bool:
        """Whether articles up to `top` were stored by someone else (another ingest, a watch, the API) since this
        linker's position: its snapshot would then claim records it never saw."""
        stored = conn.execute(select(articles.c.doc_id).where(articles.c.id > self.position,
                                                              articles.c.id <= top)).scalars()
        return any(doc_id not in self._accounted for doc_id in stored)

    def _take_in_foreign(self) -> None:
        """Link the articles others stored since this linker's position (in their order), before a save."""
        with self.store.engine.connect() as conn:
            top = top_article(conn)
            if not self._foreign(conn, top):
                return
        for data in self.store.queries.records(after=self.position, upto=top):
            if data["doc_id"] not in self._accounted:
                self._accounted.add(data["doc_id"])
                self._write_carried(self.linker.link(Record.from_dict(data)))
                self.replayed += 1
                self.unsaved += 1

    # ---- linking
    def link(self, record: Record, prepared: Any = None) -> list[Record]:
        self._mine.add(id(record))
        self._accounted.add(record.doc_id)
        self.unsaved += 1
        settled = self._hand_on(self.linker.link(record, prepared))
        if self.checkpoints and time.monotonic() - self.last_save > CHECKPOINT_SECONDS:
            self.checkpoint()
        return settled

    def flush(self) -> list[Record]:
        if self.checkpoints:
            self.checkpoint()  # the undecided records stay undecided in the snapshot: the next run may move them
        return self._hand_on(self.linker.flush())

    def _hand_on(self, settled: list[Record]) -> list[Record]:
        mine, carried = [], []
        for record in settled:
            if id(record) in self._mine:
                self._mine.discard(id(record))
                mine.append(record)
            else:
                carried.append(record)
        self._write_carried(carried)
        return mine

    def _write_carried(self, records: list[Record]) -> None:
        for i in range(0, len(records), REPLAY_BATCH):
            chunk = records[i:i + REPLAY_BATCH]
            self.store.writer._transaction(lambda conn, chunk=chunk: self.store.writer.write_batch(conn, chunk))

    def stored_early(self, record: Record) -> bool:
        """Whether a checkpoint stored `record` (new or changed) before it settled: its own write then finds it
        unchanged, and the run still counts it as written."""
        return self._early.pop(id(record), False)

    def undecided(self) -> list[Record]:
        """The records linked but not settled yet, in input order."""
        stories = getattr(self.linker, "story_linker", None)
        return [item.record for item in stories.pending] if stories is not None else []

    # ---- saving
    def checkpoint(self, force: bool = False) -> None:
        """Write the undecided records as they stand and (`force`, or `SAVE_AFTER` articles since the last one)
        the snapshot, in one transaction."""
        save = force or self.unsaved >= SAVE_AFTER
        if save:
            self._take_in_foreign()
        pending = self.undecided()
        data = dump(self.linker) if save else None

        def work(conn: Connection) -> None:
            if pending:
                for record, changed in zip(pending, self.store.writer.write_batch(conn, pending), strict=True):
                    if id(record) in self._mine:
                        self._early[id(record)] = self._early.get(id(record), False) or changed
            if data is not None:
                self._save_if_whole(conn, data)

        self.store.writer._transaction(work)
        self.last_save = time.monotonic()

    def save_in(self, conn: Connection) -> None:
        """Save the snapshot in the caller's transaction (a partition's), every record linked being written."""
        self._save_if_whole(conn, None)
        self.last_save = time.monotonic()

    def _save_if_whole(self, conn: Connection, data: bytes | None) -> None:
        top = top_article(conn)
        if self._foreign(conn, top):  # stored by another writer just now: the next save takes them in
            self._notice("another writer stored articles meanwhile: the linker's snapshot is saved later")
            return
        save_in(conn, self.linker, top, data)
        self._at(top)
        self.unsaved = 0

    def _notice(self, text: str) -> None:
        if self.on_notice:
            self.on_notice(text)


__all__ = ["FORMAT", "STATE_KEY", "SnapshotError", "StoreLinker", "dump", "fingerprint", "load"]
