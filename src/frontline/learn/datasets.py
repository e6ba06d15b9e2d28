"""Training sets, assembled from data Frontline may ship, each example traceable to its source.

The rules find candidates; the reading benchmark's gold says which are right. So a training set is built by
running the rule pipeline over the train split (never dev, never test), lining each candidate up with the
gold, and recording where every example came from (``Source``: file, sha256, how many examples).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bench.records import Report, fold
from ..eval.corpus import names_match, place_matches, report_article, sentence_article

Example = tuple[dict[str, float], str, float]


@dataclass
class Source:
    name: str
    path: str
    sha256: str
    records: int
    examples: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "sha256": self.sha256,
            "records": self.records,
            "examples": self.examples,
        }


@dataclass
class TrainingSet:
    task: str
    examples: list[Example] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def add(self, source: Source, examples: Iterable[Example]) -> None:
        batch = list(examples)
        source.examples = len(batch)
        self.examples.extend(batch)
        self.sources.append(source)


def file_source(name: str, path: Path, records: int) -> Source:
    return Source(name, str(path), hashlib.sha256(path.read_bytes()).hexdigest(), records)


def _overlaps(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


def _read(
    items: Sequence[Any],
    article_of: Callable[[Any], Any],
    run: Callable[[Any], Any],
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[Any, Any]]:
    """(item, the rules' state of it) for every item, reporting progress after each."""
    for n, item in enumerate(items):
        yield item, run(article_of(item))
        if progress:
            progress(n + 1)


def _gold_events_of(report: Report, state: Any, d: Any) -> list[Any]:
    """The gold events a draft mentions: cited by its sentence, at its place when both are located."""
    from ..eval.corpus import EVENT_KM

    sentence = state.sentences[d.sent].text
    loc = d.place.to_location() if d.place is not None else None
    return [
        g
        for g in report.events
        if any(_overlaps(ev, sentence) for ev in g.evidence)
        and (g.place is None or loc is None or loc.lat is None or place_matches(loc, g.place, km=EVENT_KM))
    ]


# --- control changes -------------------------------------------------------------------------------------


def control_label(
    report: Report, sentence: str, candidate: Any, direct_here: bool
) -> tuple[str, float] | None:
    """Is this (cue, place) candidate a change of control, by the gold? And how sure is the label?

    Negative when the gold names no change at the place, or when the candidate's sentence is the evidence
    of a ``not_changes`` entry for it (a threat, a denial, an advance). Positive when the sentence is a
    change's evidence and the place hangs on the cue (or on nothing better in that sentence); positive with
    a lower weight for another mention of a place that changed hands, where the place hangs on the cue (the
    gold quotes one evidence sentence per change). None: too unsure to train on."""
    loc = candidate.place.to_location()
    nots = [n for n in report.not_changes if place_matches(loc, n.place)]
    if any(_overlaps(n.evidence, sentence) for n in nots):
        return "no", 1.0
    gold = [g for g in report.control_changes if place_matches(loc, g.place)]
    if not gold:
        return "no", 1.0
    loose = candidate.rel == "sent"
    if any(_overlaps(g.evidence, sentence) for g in gold):
        if loose and direct_here:
            return None  # another cue in the sentence carries the change
        return "yes", 1.0
    return ("no", 0.5) if loose else ("yes", 0.3)


def control_from_reports(
    reports: Sequence[Report], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        direct = {
            (c.sent, id(c.place.place) if c.place.place else c.place.text)
            for c in state.control_candidates
            if c.rel != "sent"
        }
        for c in state.control_candidates:
            key = (c.sent, id(c.place.place) if c.place.place else c.place.text)
            labelled = control_label(report, state.sentences[c.sent].text, c, key in direct)
            if labelled is not None:
                out.append((c.features, labelled[0], labelled[1]))
    return out


def control_from_sentences(
    items: Sequence[Any], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Relabelled real sentences: a candidate is a change where the sentence is one and the place is the
    labelled one; every other candidate in it is not."""
    out: list[Example] = []
    for item, state in _read(items, sentence_article, run, progress):
        for c in state.control_candidates:
            yes = (
                item.label == "change"
                and item.place is not None
                and names_match([c.place.text], [item.place])
            )
            out.append((c.features, "yes" if yes else "no", 1.0))
    return out


# --- event types ---------------------------------------------------------------------------------------


def event_type_from_notes(
    items: Sequence[Any], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """An ACLED-style note tells one event: its first sentence's main event (the lexicon's most confident
    one, else the sentence's main verb) is labelled with the note's sub-event type."""
    from ..eval.corpus import note_article
    from ..pipeline.typing import draft_features, lede_draft

    out: list[Example] = []
    for item, state in _read(items, note_article, run, progress):
        first = [d for d in state.events if d.sent == 0]
        typed = [d for d in first if d.sub_event_type is not None]
        main = max(typed or first, key=lambda d: d.confidence) if (typed or first) else lede_draft(state)
        if main is not None:
            out.append((draft_features(state, main), item.sub_event_type, 1.0))
    return out


def event_type_from_reports(
    reports: Sequence[Report], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Every event the rules read from a report, labelled by the gold event it is a mention of (its type, or
    NONE for a statement, a threat, a plan); an event read from a sentence no gold event cites is
    commentary or background: NONE, with a lower weight (the gold may have missed a happening)."""
    from ..pipeline.typing import NONE, draft_features

    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        for d in state.events:
            matches = _gold_events_of(report, state, d)
            if not matches:
                out.append((draft_features(state, d), NONE, 0.5))
                continue
            same = [g for g in matches if g.plover.event == d.plover] or matches
            g = same[0]
            out.append((draft_features(state, d), g.sub_event_type or NONE, 1.0))
    return out


# --- the control reader's choices ----------------------------------------------------------------------


def choice_examples(
    reports: Sequence[Report],
    run: Callable[[Any], Any],
    which: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> list[Example]:
    """For every candidate whose sentence is a gold change's evidence at its place, each of its gainer (or
    date) options, labelled by whether it is the gold's (the new controller; the date within tolerance)."""
    from ..eval.corpus import actor_matches, date_ok
    from ..pipeline.control_choose import date_options, gain_counts, gainer_options
    from ..pipeline.event_dates import heading_dates

    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        cands = state.control_candidates
        counts = gain_counts(cands)
        headings = heading_dates(state)
        for c in cands:
            sentence = state.sentences[c.sent].text
            loc = c.place.to_location()
            gold = [
                g
                for g in report.control_changes
                if place_matches(loc, g.place) and _overlaps(g.evidence, sentence)
            ]
            if len(gold) != 1:
                continue  # no change here, or two: which option is right is not clear
            g = gold[0]
            if which == "gainer":
                options = gainer_options(state, c, counts)
                labels = [actor_matches(o.value.to_actor(), g.to) for o in options]
            else:
                if g.date is None:
                    continue
                options = date_options(state, c, headings)
                labels = [date_ok(o.value.date, g.date, g.date_tolerance_days) for o in options]
            if not any(labels) or all(labels):
                continue
            out.extend((o.features, "yes" if y else "no", 1.0) for o, y in zip(options, labels, strict=True))
    return out


# --- PLOVER events ------------------------------------------------------------------------------------


def plover_from_stories(
    items: Sequence[Any], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """A synthetic story is labelled with one PLOVER event: its lede's main event (the lexicon's most
    confident, else the lede's main verb) is labelled with it."""
    from ..eval.synthetic import story_article
    from ..pipeline.typing import draft_features, lede_draft

    out: list[Example] = []
    for story, state in _read(items, story_article, run, progress):
        first = [d for d in state.events if d.sent == 0] or list(state.events)
        main = max(first, key=lambda d: d.confidence) if first else lede_draft(state)
        if main is not None:
            out.append((draft_features(state, main), story.label, 1.0))
    return out


def plover_from_reports(
    reports: Sequence[Report], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Events the rules read from a report, labelled with the PLOVER event of the gold event they mention."""
    from ..pipeline.typing import draft_features

    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        for d in state.events:
            matches = _gold_events_of(report, state, d)
            if len(matches) == 1:
                out.append((draft_features(state, d), matches[0].plover.event, 1.0))
    return out


# --- modality ---------------------------------------------------------------------------------------


def modality_from_reports(
    reports: Sequence[Report], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Events the rules read from a report, labelled with the modality of the one gold event they mention
    (of the same PLOVER event when several are cited); events no gold event cites are not labelled."""
    from ..pipeline.modality import modality_features

    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        for d in state.events:
            matches = _gold_events_of(report, state, d)
            same = [g for g in matches if g.plover.event == d.plover] or matches
            if len({g.modality for g in same}) == 1:
                out.append((modality_features(state, d), same[0].modality, 1.0))
    return out


SENTENCE_MODALITY_WEIGHT = 0.3


def modality_from_sentences(
    items: Sequence[Any], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Relabelled real sentences: the event read at the labelled verb carries the sentence's modality (at a
    lower weight than the reports' events: the sentences were relabelled for control, modality second)."""
    from ..pipeline.modality import modality_features

    out: list[Example] = []
    for item, state in _read(items, sentence_article, run, progress):
        verb = fold(item.verb or "")
        if not verb or not item.modality:
            continue
        for d in state.events:
            if fold(d.trigger) == verb:
                out.append((modality_features(state, d), item.modality, SENTENCE_MODALITY_WEIGHT))
                break
    return out


# --- PLOVER modes ----------------------------------------------------------------------------------


def mode_label(event: str, mode: str | None) -> str:
    from ..pipeline.typing import NO_MODE

    return f"{event}/{mode or NO_MODE}"


def plover_mode_from_reports(
    reports: Sequence[Report], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """Events the rules read, labelled with the mode of the gold event of the same PLOVER event they
    mention (when the gold events they mention agree on it)."""
    from ..pipeline.typing import draft_features

    out: list[Example] = []
    for report, state in _read(reports, report_article, run, progress):
        for d in state.events:
            same = [g for g in _gold_events_of(report, state, d) if g.plover.event == d.plover]
            if same and len({g.plover.mode for g in same}) == 1:
                out.append((draft_features(state, d), mode_label(d.plover, same[0].plover.mode), 1.0))
    return out


def plover_mode_from_stories(
    items: Sequence[Any], run: Callable[[Any], Any], *, progress: Callable[[int], None] | None = None
) -> list[Example]:
    """A synthetic story's lede event, when the rules read it as the story's PLOVER event, labelled with
    the story's mode (lower weight: machine-written, and its modes are per story)."""
    from ..eval.synthetic import story_article, story_mode
    from ..pipeline.typing import draft_features

    out: list[Example] = []
    for story, state in _read(items, story_article, run, progress):
        first = [d for d in state.events if d.sent == 0 and d.plover == story.label]
        if not first:
            continue
        main = max(first, key=lambda d: d.confidence)
        out.append((draft_features(state, main), mode_label(story.label, story_mode(story.mode)), 0.5))
    return out
