"""When each event happened: its sentence's date, shifted by "a week after", else a related event's.

Split from the events stage so that the control reader and the typing stage, which date what they read the
same way, share it without reaching into the events stage's internals.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .base import DateMention, EventDraft, PlaceMention, State
from .dates import dated_line

if TYPE_CHECKING:
    from spacy.tokens import Token


def in_other_clause(state: State, dm: DateMention, trigger: Token) -> bool:
    """A date inside a clause that is not the trigger's own ("occupied the governor's office after fighting
    that began on Saturday", "recaptured Fuzuli, which Armenian forces had held since 1993") dates that
    clause's event, not the trigger's."""
    doc = state.doc
    if doc is None or dm.start < 0:
        return False
    span = doc.char_span(dm.start, dm.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    tok = span.root
    while tok.i != trigger.i and tok.head.i != tok.i:
        finite = tok.dep_ == "relcl" or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        # a clause with its own subject ("fighting that began on Saturday"); an infinitive ("the second
        # city to fall in a week") frames the sentence's time rather than telling another event
        if tok.dep_ in ("relcl", "acl", "advcl", "ccomp") and tok.pos_ in ("VERB", "AUX") and finite:
            # the trigger inside that clause ("fighting began on Saturday, after which rebels seized X")
            # makes it the trigger's own
            return not (tok.left_edge.i <= trigger.i <= tok.right_edge.i)
        tok = tok.head
    return False


def nearest_date(state: State, d: EventDraft) -> DateMention | None:
    best = None
    trigger = state.doc[d.token] if state.doc is not None and d.token >= 0 else None
    for dm in state.dates_in(d.sent):
        if trigger is not None and in_other_clause(state, dm, trigger):
            continue
        dist = abs(dm.start - d.trigger_start)
        if best is None or dist < best[0]:
            best = (dist, dm)
    return best[1] if best else None


def fill_dates(state: State, drafts: list[EventDraft]) -> None:
    """Give each event a date: its sentence's, else the heading it sits under, else a related event's, else
    the report's own period.

    Events at the same place in one report usually are one episode ("seized Hama" ... "withdrew from Hama
    on Thursday"), so an undated event takes the most precise date of the same place's events. Failing that
    it takes the report's anchor (its most precise current date) at week precision, the way an analyst codes
    "have seized" in Friday's paper, or stays undated without a publication date.
    """
    headings = heading_dates(state)
    for d in drafts:
        d.date = nearest_date(state, d)
        if d.date is not None and d.date.date is not None:
            d.date = _shift_before(state, d, d.date)
        elif d.date is None and d.sent in headings:
            d.date = headings[d.sent]  # "12 August – Ghazni falls. Late in the day the Taliban take Herat."
    by_place: dict[Any, list[EventDraft]] = {}
    for d in drafts:
        if d.place is not None:
            by_place.setdefault(place_key(d.place), []).append(d)
    published = state.article.published
    anchor = anchor_date(state)
    for d in drafts:
        if d.date is not None:
            continue
        if d.place is not None:
            dated = [
                o.date
                for o in by_place.get(place_key(d.place), [])
                if o.date is not None and o.date.date and not o.date.historical
            ]
            if dated:
                best = min(dated, key=lambda dm: (dm.precision or 9, -dm.start))
                d.date = best
                continue
        if anchor is not None and anchor.date is not None:
            d.date = DateMention.derived_from(anchor.date, max(anchor.precision or 2, 2), d.sent, "anchor")
        elif published is not None:
            d.date = DateMention.derived_from(published, 2, d.sent, "published")


_DURATION = re.compile(
    r"^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|\d+)\s+"
    r"(day|week|month|year)s?$",
    re.I,
)
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "several": 3,
    "a few": 3,
    "few": 3,
}


def _shift_before(state: State, d: EventDraft, date: DateMention) -> DateMention:
    doc = state.doc
    if doc is None or d.token < 0:
        return date
    return shifted_date(doc[d.token], d.sent, date)


def _span_of_time(noun: Token) -> str:
    """ "25 years", "a day": a unit of time with its count, as written before it."""
    count = " ".join(t.text for t in noun.children if t.dep_ in ("det", "nummod") and t.i < noun.i)
    return count + " " + noun.text


def shifted_date(tok: Token, sent: int, date: DateMention) -> DateMention:
    """ "took Hama on Thursday, a week after the rebels captured Aleppo": the earlier event is dated a week
    before the sentence's date, at the precision the offset allows."""
    if date.date is None:
        return date
    introduced = any(c.dep_ == "mark" and c.lower_ in ("after", "since") for c in tok.children)
    if not introduced and not (tok.dep_ == "pcomp" and tok.head.lower_ in ("since", "after")):
        return date
    if date.start >= 0 and tok.left_edge.idx <= date.start <= tok.right_edge.idx:
        return date  # the date is the embedded event's own
    marks = [c for c in tok.children if c.dep_ == "mark"]
    offsets = [c for c in tok.children if c.dep_ == "npadvmod"]
    offsets += [g for m in marks for g in m.children if g.dep_ == "npadvmod"]  # "a day after" on the mark
    phrases = [" ".join(t.text for t in c.subtree) for c in offsets]
    head = tok.head
    if (
        tok.dep_ == "pcomp"
        and head.lower_ in ("since", "after")
        and head.head.lemma_.lower() in ("year", "day", "week", "month")
    ):
        # "to mark 25 years since the FARC overran the town"
        phrases.append(_span_of_time(head.head))
    if tok.dep_ == "advcl":
        # "to mark 25 years since the FARC overran the town": the span of time is the clause's sibling
        for sib in head.children:
            if (
                sib.i < tok.i
                and sib.dep_ in ("dobj", "npadvmod")
                and sib.lemma_.lower() in ("year", "day", "week", "month")
            ):
                phrases.append(_span_of_time(sib))
    if tok.dep_ in ("relcl", "acl") and head.lemma_.lower() in ("day", "week", "month"):
        # "a day after it seized Mosul", parsed as a clause on "day"
        phrases.append(_span_of_time(head))
    for phrase in phrases:
        phrase = phrase.strip()
        if phrase:
            m = _DURATION.match(phrase)
            if m:
                count_word = phrase[: m.start(1)].strip().lower()
                n = int(count_word) if count_word.isdigit() else _COUNTS.get(count_word, 1)
                unit = m.group(1).lower()
                if unit == "year":
                    # "25 years since the FARC overran the town": the same day that many years before
                    year = date.date.year - n
                    earlier = (
                        date.date.replace(year=year)
                        if not (date.date.month == 2 and date.date.day == 29)
                        else dt.date(year, 2, 28)
                    )
                    return DateMention.derived_from(
                        earlier, max(3, date.precision or 1), sent, "offset", historical=True
                    )
                days = n * {"day": 1, "week": 7, "month": 30}[unit]
                precision = (
                    1
                    if unit == "day" and count_word not in ("several", "a few", "few")
                    else (2 if unit == "week" or unit == "day" else 3)
                )
                return DateMention.derived_from(
                    date.date - dt.timedelta(days=days),
                    max(precision, date.precision or 1),
                    sent,
                    "offset",
                    historical=date.historical,
                )
    return date


def anchor_date(state: State) -> DateMention | None:
    current = [
        dm
        for dm in state.dates
        if dm.date is not None
        and not dm.historical
        and (state.article.published is None or dm.date <= state.article.published)
    ]
    if not current:
        return None
    return min(current, key=lambda dm: (dm.precision or 9, dm.start))


def place_key(p: PlaceMention) -> Any:
    return p.place.geonameid if p.place is not None else p.text.lower()


def heading_dates(state: State) -> dict[int, DateMention]:
    """sentence index -> the date of the heading it sits under ("Saturday 7 December", "5 December –")."""
    out: dict[int, DateMention] = {}
    current: DateMention | None = None
    by_sent: dict[int, list[DateMention]] = {}
    for dm in state.dates:
        by_sent.setdefault(dm.sent, []).append(dm)
    for s in state.sentences:
        own = by_sent.get(s.index, [])
        if s.heading and own and _dating_heading(s.text, own[0]):
            current = own[0]
        elif own and own[0].start - s.start <= 3 and dated_line(s.text):
            current = own[0]  # a timeline line that opens with its date
        if current is not None:
            out[s.index] = current
    return out


def _dating_heading(heading: str, dm: DateMention) -> bool:
    """ "Saturday 7 December", "2014", "Day 3: rebels enter Hama, 5 December" date what follows them; a
    title that names a year ("Southern campaign of the 2020 war") is about that year, not a day in it."""
    return (dm.precision or 3) <= 2 or len(dm.text) >= 0.5 * len(heading.strip())
