"""Link: cross-article state (identities, posts, copies, statements, stories), applied to records in input order."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, Msg
from ..records import Record
from .dedup import DedupConfig, DuplicateLinker
from .identity import IdentityLinker
from .posts import PostLinker
from .propagation import PropagationConfig, QuotePropagator
from .stories import StoryConfig, StoryLinker

if TYPE_CHECKING:
    from ..config import Settings


def _section(cls: type, name: str, values: dict[str, Any]) -> Any:
    """One [link.NAME] section as its config dataclass; an unknown key is an error, not a silent no-op."""
    known = {f.name for f in fields(cls)}
    for key in values:
        if key not in known:
            raise ConfigError(Msg.NG501, name=f"link.{name}.{key}", detail="unknown setting")
    return cls(**values)


@dataclass
class Prepared:
    """What linking a record needs of that record alone, computed where it was extracted (`Linker.prepare`)."""

    signature: Any  # its near-copy signature (MinHash values), None when too short to be called a copy
    terms: dict[str, float]  # its story terms and their raw weights
    made_with: tuple  # the settings they depend on: a linker configured otherwise computes its own


class Linker:
    """Runs every cross-article step over one record at a time; its state is all that grows with a run.

    Order matters: run-wide entity and post ids first, then copies (`meta["duplicate_of"]`), then
    statements (quotes across articles, anonymous speakers resolved), then stories, which read all three.
    """

    def __init__(self, stories: StoryConfig | None = None, dedup: DedupConfig | None = None,
                 propagation: PropagationConfig | None = None) -> None:
        self.identities = IdentityLinker()
        self.posts = PostLinker()
        self.duplicates = DuplicateLinker(dedup)
        self.propagator = QuotePropagator(propagation)
        self.story_linker = StoryLinker(stories)
        self._made_with = (self.duplicates.config, self.story_linker.config)

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Linker:
        """A Linker configured by the [link.dedup], [link.propagation] and [link.stories] sections."""
        link = settings.link if settings is not None else {}
        return cls(stories=_section(StoryConfig, "stories", link.get("stories", {})),
                   dedup=_section(DedupConfig, "dedup", link.get("dedup", {})),
                   propagation=_section(PropagationConfig, "propagation", link.get("propagation", {})))

    def prepare(self, record: Record) -> Prepared:
        """The part of linking that reads `record` alone (its copy signature, its story terms).

        Linking runs on one process, in input order; this part can run wherever the record was extracted
        (a Dask worker), so that the linking process does less per article. `link(record, prepared)` then
        gives exactly what `link(record)` would.
        """
        return Prepared(signature=self.duplicates.prepare(record), terms=self.story_linker.features(record),
                        made_with=self._made_with)

    def link(self, record: Record, prepared: Prepared | None = None) -> list[Record]:
        """Link `record`; return the records whose story is now final (0..n, input order).

        Stories settle with a short lag (`[link.stories] lag`): `record.story_id` is set at once but may
        change until the record comes back from here or from `flush`. Write records when they come back.
        `prepared` is `prepare(record)` when it was computed elsewhere.
        """
        if prepared is not None and prepared.made_with != self._made_with:
            prepared = None
        self.identities.link(record)
        self.posts.link(record)
        self.duplicates.link_prepared(record, prepared.signature if prepared else self.duplicates.prepare(record))
        self.propagator.link(record)
        return self._named(self.story_linker.link(record, prepared.terms if prepared else None))

    def flush(self) -> list[Record]:
        """Settle every record still undecided (end of input, interrupted run), in input order."""
        return self._named(self.story_linker.flush())

    def _named(self, records: list[Record]) -> list[Record]:
        # entity names and labels are decided over the run so far: a record takes them as they stand when written
        for record in records:
            self.identities.relook(record)
            self.identities.rename(record)
        return records


# One Linker per process for `prepare`, built on first use: worker processes get settings, never a linker
_PROCESS_LINKER: tuple[Settings, Linker] | None = None


def prepare(records: list[Record], settings: Settings) -> list[tuple[Record, Prepared]]:
    """Each record with `Linker.prepare` of it, by a linker of `settings` (what a worker does after extracting)."""
    global _PROCESS_LINKER
    if _PROCESS_LINKER is None or _PROCESS_LINKER[0] != settings:
        _PROCESS_LINKER = (settings, Linker.from_settings(settings))
    linker = _PROCESS_LINKER[1]
    return [(record, linker.prepare(record)) for record in records]


__all__ = ["DedupConfig", "Linker", "Prepared", "PropagationConfig", "StoryConfig", "StoryLinker", "prepare"]
