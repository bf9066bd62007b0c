"""Link: cross-article state (identities, posts, copies, statements, stories), applied to records in input order."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, Msg
from ..records import Record
from .dedup import DedupConfig, DuplicateLinker
from .identity import IdentityLinker
from .posts import PostLinker
from .propagation import PropagationConfig, QuotePropagator
from .stories import Story, StoryConfig, StoryLinker

if TYPE_CHECKING:
    from ..config import Settings


def _section(cls: type, name: str, values: dict[str, Any]) -> Any:
    """One [link.NAME] section as its config dataclass; an unknown key is an error, not a silent no-op."""
    known = {f.name for f in fields(cls)}
    for key in values:
        if key not in known:
            raise ConfigError(Msg.NG501, name=f"link.{name}.{key}", detail="unknown setting")
    return cls(**values)


class Linker:
    """Runs every cross-article step over one record at a time; its state is all that grows with a run.

    Order matters: run-wide entity and post ids first, then copies (`meta["duplicate_of"]`), then
    statements (quotes across articles, anonymous speakers resolved), then stories, which read all three.
    """

    def __init__(self, stories: StoryConfig | None = None, dedup: DedupConfig | None = None,
                 propagation: PropagationConfig | None = None) -> None:
        self.duplicates = DuplicateLinker(dedup)
        self.propagator = QuotePropagator(propagation)
        self.story_linker = StoryLinker(stories)
        self.steps = [IdentityLinker(), PostLinker(), self.duplicates, self.propagator, self.story_linker]

    @classmethod
    def from_settings(cls, settings: Settings | None) -> Linker:
        """A Linker configured by the [link.dedup], [link.propagation] and [link.stories] sections."""
        link = settings.link if settings is not None else {}
        return cls(stories=_section(StoryConfig, "stories", link.get("stories", {})),
                   dedup=_section(DedupConfig, "dedup", link.get("dedup", {})),
                   propagation=_section(PropagationConfig, "propagation", link.get("propagation", {})))

    def link(self, record: Record) -> list[Record]:
        """Link `record`; return the records whose story is now final (0..n, input order).

        Stories settle with a short lag (`[link.stories] lag`): `record.story_id` is set at once but may
        change until the record comes back from here or from `flush`. Write records when they come back.
        """
        for step in self.steps[:-1]:
            step.link(record)
        return self.story_linker.link(record)

    def flush(self) -> list[Record]:
        """Settle every record still undecided (end of input, interrupted run), in input order."""
        return self.story_linker.flush()

    def stories(self) -> list[Story]:
        """Per-story summaries: title, time span, key entities and quotes, posts, timeline."""
        return self.story_linker.stories()


__all__ = ["DedupConfig", "Linker", "PropagationConfig", "Story", "StoryConfig", "StoryLinker"]
