"""Link: cross-article state (identities, posts, copies, statements, stories), applied to records in input order."""

from __future__ import annotations

from ..records import Record
from .dedup import DedupConfig, DuplicateLinker
from .identity import IdentityLinker
from .posts import PostLinker
from .propagation import PropagationConfig, QuotePropagator
from .stories import Story, StoryConfig, StoryLinker


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

    def link(self, record: Record) -> Record:
        for step in self.steps:
            step.link(record)
        return record

    def stories(self) -> list[Story]:
        """Per-story summaries: title, time span, key entities and quotes, posts, timeline."""
        return self.story_linker.stories()


__all__ = ["Linker", "Story", "StoryConfig", "StoryLinker"]
