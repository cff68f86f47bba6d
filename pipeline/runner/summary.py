"""What a run did, in numbers: documents, failures, entities and relations by type."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    negated: int = 0
    hedged: int = 0
    parsed: list[int] = field(default_factory=lambda: [0, 0])  # (sentences parsed, sentences)
    shards: int = 0
    reused: int = 0
    export_failed: list[str] = field(default_factory=list)
    formats_written: list[str] = field(default_factory=list)
    run_id: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds: load (workers), processing, exports
    workers: int = 1

    def add(self, part: dict[str, Any]) -> None:
        """Add the summary stored in a shard header."""
        self.documents += part["documents"]
        self.failed += part["failed"]
        self.warnings += part["warnings"]
        self.entities.update(part["entities"])
        self.relations.update(part["relations"])
        self.negated += part["negated"]
        self.hedged += part["hedged"]
        self.parsed = [a + b for a, b in zip(self.parsed, part.get("parsed", [0, 0]))]

    def format(self) -> str:
        lines = [f"documents: {self.documents} processed, {len(self.failed)} failed"
                 + (f", {self.warnings} warnings" if self.warnings else "")]
        lines.append("entities: " + (", ".join(f"{k} {v}" for k, v in sorted(self.entities.items())) or "none"))
        lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(self.relations.items())) or "none"))
        lines.append(f"flagged: {self.negated} negated, {self.hedged} hedged")
        if self.reused:
            lines.append(f"shards: {self.shards} ({self.reused} reused from an earlier, interrupted run)")
        return "\n".join(lines)
