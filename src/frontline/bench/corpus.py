"""Finding and loading the reading benchmark's splits, with their pinned hashes.

Layout (``corpus/`` at the repository root, or ``$FRONTLINE_CORPUS``)::

    conflicts.yaml                  conflict -> split, fixed before writing
    reports/{train,dev,test}.jsonl  written reports with gold (docs/annotation.md §1–5)
    event-location/{train,dev,test}.jsonl   relabelled real sentences (§6)
    acled-notes/{train,dev,test}.jsonl      ACLED-style notes (§7)
    SHA256SUMS                      sha256 of every split file, checked on load

A split whose file does not hash to its pinned value is refused: a figure always says which data it is
on, and an edited split must be re-pinned on purpose (``frontline eval corpus --pin``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel

from ..errors import ConfigError, InputError
from .records import AcledNote, RelabelledSentence, Report
from .validate import check_file

CORPUS_ENV = "FRONTLINE_CORPUS"
SPLITS = ("train", "dev", "test")
PARTS: dict[str, tuple[str, type[BaseModel]]] = {
    "reports": ("reports", Report),
    "sentences": ("event-location", RelabelledSentence),
    "notes": ("acled-notes", AcledNote),
}
SUMS = "SHA256SUMS"

R = TypeVar("R", bound=BaseModel)


def corpus_dir(path: str | Path | None = None) -> Path:
    """``path``, else ``$FRONTLINE_CORPUS``, else ``corpus/`` in the source checkout."""
    from ..eval import repo_root

    candidate = Path(path) if path else Path(os.environ.get(CORPUS_ENV) or repo_root() / "corpus")
    if not (candidate / "conflicts.yaml").is_file():
        raise ConfigError(f"reading benchmark not found at {candidate} (no conflicts.yaml); set {CORPUS_ENV}")
    return candidate


def split_file(part: str, split: str, root: str | Path | None = None) -> Path:
    if part not in PARTS:
        raise ConfigError(f"unknown benchmark part {part!r}; one of {', '.join(PARTS)}")
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    return corpus_dir(root) / PARTS[part][0] / f"{split}.jsonl"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned(root: str | Path | None = None) -> dict[str, str]:
    """relative path -> sha256, from SHA256SUMS (``sha256sum`` format)."""
    sums = corpus_dir(root) / SUMS
    if not sums.is_file():
        return {}
    out: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.strip().lstrip("*")] = digest
    return out


def pin(root: str | Path | None = None) -> dict[str, str]:
    """Write SHA256SUMS for every split file present; returns what it wrote."""
    base = corpus_dir(root)
    found: dict[str, str] = {}
    for folder, _ in PARTS.values():
        for split in SPLITS:
            p = base / folder / f"{split}.jsonl"
            if p.is_file():
                found[f"{folder}/{split}.jsonl"] = sha256(p)
    (base / SUMS).write_text("".join(f"{d}  {n}\n" for n, d in sorted(found.items())), encoding="utf-8")
    return found


def conflicts(root: str | Path | None = None) -> dict[str, str]:
    """conflict -> split."""
    data = yaml.safe_load((corpus_dir(root) / "conflicts.yaml").read_text(encoding="utf-8")) or {}
    return {c: split for split, items in data.items() for c in (items or {})}


@dataclass
class Split:
    part: str
    name: str
    path: Path
    sha256: str
    records: Sequence[BaseModel]


def load_split(part: str, split: str, root: str | Path | None = None, *, verify: bool = True) -> Split:
    """The records of one split, validated and checked against their pinned hash."""
    path = split_file(part, split, root)
    if not path.is_file():
        raise ConfigError(f"benchmark split missing: {path}")
    digest = sha256(path)
    if verify:
        rel = f"{PARTS[part][0]}/{split}.jsonl"
        expected = pinned(root).get(rel)
        if expected is None:
            raise ConfigError(f"{path}: not pinned in {SUMS}; pin it with `frontline eval corpus --pin`")
        if expected != digest:
            raise ConfigError(
                f"{path}: sha256 {digest[:12]}… differs from the pinned {expected[:12]}… ({SUMS}); "
                "a changed split must be re-pinned on purpose"
            )
    checked = check_file(path)
    if checked.problems:
        first = "; ".join(str(p) for p in checked.problems[:3])
        raise InputError(f"{len(checked.problems)} invalid records ({first})", source=str(path))
    if part == "reports":
        assign = conflicts(root)
        for r in checked.records:
            assert isinstance(r, Report)
            if assign.get(r.conflict) != split:
                raise InputError(
                    f"record {r.id} is of conflict {r.conflict!r}, which conflicts.yaml puts in "
                    f"{assign.get(r.conflict)!r}, not {split!r}",
                    source=str(path),
                )
    return Split(part=part, name=split, path=path, sha256=digest, records=checked.records)


def reports(split: str, root: str | Path | None = None) -> list[Report]:
    return [r for r in load_split("reports", split, root).records if isinstance(r, Report)]


def sentences(split: str, root: str | Path | None = None) -> list[RelabelledSentence]:
    return [r for r in load_split("sentences", split, root).records if isinstance(r, RelabelledSentence)]


def notes(split: str, root: str | Path | None = None) -> list[AcledNote]:
    return [r for r in load_split("notes", split, root).records if isinstance(r, AcledNote)]
