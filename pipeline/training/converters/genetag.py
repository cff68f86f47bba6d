"""GENETAG -> ``Annotated`` sentences in natural text, with gold and alternative GENE spans.

GENETAG ships tokenized sentences (``word/TAG``). A model trained on that spacing
would meet a different text at run time ("IGF-1 )" instead of "IGF-1)"), so the
sentence is rebuilt the way it was printed and every token keeps its character
offsets. Gold names come from Gold.format (``@@ID|first last|name``); in this
release the positions are token indices, while the BioCreative II files count
characters without spaces, so both readings are tried and the one whose text
matches the name wins. Touching names (``NEWGENE`` followed by ``NEWGENE1``) are
two mentions in Gold.format and in ``mentions_from_tags``. Correct.Data lists
acceptable alternative boundaries; each is attached to the gold name it overlaps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.training.converters.standoff import Annotated

POSITION = re.compile(r"^(@@\d+)\|(\d+) (\d+)\|?(.*)$")
NO_SPACE_BEFORE = {")", "]", ",", ".", ";", ":", "%", "?", "!", "'s", "n't", "/"}
NO_SPACE_AFTER = {"(", "[", "/"}
GENE_TAGS = {"NEWGENE", "NEWGENE1"}


@dataclass
class Sentence:
    """One GENETAG sentence: its tokens, their tags, and the rebuilt text with token offsets."""

    id: str
    words: list[str]
    tags: list[str]
    text: str
    offsets: list[tuple[int, int]]

    def char_range(self, first: int, last: int) -> tuple[int, int]:
        """Character span of tokens first..last (inclusive, as in Gold.format)."""
        return self.offsets[first][0], self.offsets[last][1]


def parse_tagged_line(line: str) -> tuple[str, list[str], list[str]]:
    """``@@ID w/T w/T ...`` -> id, words, tags (the tag is after the last slash: ``+/-/JJ``)."""
    parts = line.split()
    words, tags = [], []
    for item in parts[1:]:
        word, _, tag = item.rpartition("/")
        if not word:  # a bare "/" token tagged nothing; keep it as a word
            word, tag = item, ""
        words.append(word)
        tags.append(tag)
    return parts[0], words, tags


def rebuild_text(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens as printed text: no space before ``) , . ; :`` or after ``(``, none around ``/``,
    none inside decimals ("3 . 2" -> "3.2"), and "( - / - )" -> "(-/-)"."""
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, word in enumerate(words):
        if i > 0 and _space_between(words[i - 1], word, words[i + 1] if i + 1 < len(words) else "",
                                    words[i - 2] if i > 1 else ""):
            out.append(" ")
            pos += 1
        offsets.append((pos, pos + len(word)))
        out.append(word)
        pos += len(word)
    return "".join(out), offsets


def _space_between(prev: str, word: str, nxt: str, before_prev: str) -> bool:
    if word in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
        return False
    if prev == "." and before_prev[-1:].isdigit() and word[:1].isdigit():
        return False  # decimal point
    if word == "-" and nxt in {"/", ")"} and prev == "(":
        return False
    if prev == "-" and word == ")":
        return False
    return True


def mentions_from_tags(tags: list[str]) -> list[tuple[int, int]]:
    """Token ranges (first, last) of tagged names; a switch NEWGENE <-> NEWGENE1 starts a new name."""
    out: list[tuple[int, int]] = []
    start = None
    for i, tag in enumerate(tags + [""]):
        if start is not None and (tag not in GENE_TAGS or tag != tags[start]):
            out.append((start, i - 1))
            start = None
        if tag in GENE_TAGS and start is None:
            start = i
    return out


def resolve(words: list[str], first: int, last: int, name: str) -> tuple[int, int] | None:
    """Token range for a Gold.format/Correct.Data line, trying token indices, then space-free character
    positions, then a search for the name's tokens near ``first`` (the files have a few slips)."""
    want = name.strip()
    if 0 <= first <= last < len(words) and " ".join(words[first:last + 1]).lower() == want.lower():
        return first, last
    starts, ends, pos = {}, {}, 0
    for i, w in enumerate(words):
        starts[pos] = i
        pos += len(w)
        ends[pos - 1] = i
    if first in starts and last in ends and starts[first] <= ends[last]:
        i, j = starts[first], ends[last]
        if "".join(words[i:j + 1]).lower() == want.replace(" ", "").lower():
            return i, j
    target = want.lower().split()
    hits = [i for i in range(len(words) - len(target) + 1)
            if [w.lower() for w in words[i:i + len(target)]] == target]
    if target and hits:
        i = min(hits, key=lambda h: abs(h - first))
        return i, i + len(target) - 1
    return None


def read_positions(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Gold.format or Correct.Data lines by sentence id; lines fused without a newline are split."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    text = path.read_text(encoding="utf-8")
    for line in re.split(r"\n|(?=@@\d+\|\d+ \d+\|)", text):
        m = POSITION.match(line.rstrip("\r"))
        if m:
            out.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3)), m.group(4)))
    return out


def read_sentences(path: Path) -> list[Sentence]:
    """TAGGED_GENE_CORPUS (or TOKENIZED_CORPUS) as rebuilt sentences."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("@@"):
            continue
        sid, words, tags = parse_tagged_line(line)
        text, offsets = rebuild_text(words)
        out.append(Sentence(sid, words, tags, text, offsets))
    return out


def to_annotated(sentence: Sentence, gold: list[tuple[int, int, str]],
                 alternatives: list[tuple[int, int, str]] = (), counts: dict[str, int] | None = None) -> Annotated:
    """One sentence with GENE spans and, per gold span, its acceptable alternative spans."""
    counts = counts if counts is not None else {}
    spans = []
    for first, last, name in gold:
        rng = resolve(sentence.words, first, last, name)
        if rng is None:
            counts["unresolved_gold"] = counts.get("unresolved_gold", 0) + 1
            continue
        if rng != (first, last):
            counts["repaired_gold"] = counts.get("repaired_gold", 0) + 1
        start, end = sentence.char_range(*rng)
        if (start, end, "GENE") not in spans:
            spans.append((start, end, "GENE"))
    alts: dict[tuple[int, int], list[tuple[int, int]]] = {(s, e): [] for s, e, _ in spans}
    for first, last, name in alternatives:
        rng = resolve(sentence.words, first, last, name)
        if rng is None:
            counts["unresolved_alternative"] = counts.get("unresolved_alternative", 0) + 1
            continue
        a_start, a_end = sentence.char_range(*rng)
        owners = [key for key in alts if key[0] < a_end and a_start < key[1]]
        if not owners:
            counts["orphan_alternative"] = counts.get("orphan_alternative", 0) + 1
        for key in owners:
            if (a_start, a_end) != key and (a_start, a_end) not in alts[key]:
                alts[key].append((a_start, a_end))
    return Annotated(id=sentence.id, text=sentence.text, spans=sorted(spans), labels=("GENE",),
                     alternatives=alts, group=sentence.id)


def read_split(folder: Path, counts: dict[str, int] | None = None) -> list[Annotated]:
    """A GENETAG split folder (train, test or round1) as annotated sentences in file order."""
    sentences = read_sentences(folder / "TAGGED_GENE_CORPUS")
    gold = read_positions(folder / "Gold.format")
    correct = read_positions(folder / "Correct.Data") if (folder / "Correct.Data").exists() else {}
    return [to_annotated(s, gold.get(s.id, []), correct.get(s.id, []), counts) for s in sentences]
