"""The control reader's choices among options: who gained a place, and when.

The rules (``control_read.py``) name one gainer and one date for each candidate. Where they are wrong the
right answer is usually among a handful of options nearby: the other armed sides of the sentence and the
ones before it, the report's main side; the clause's date, the sentence's other dates, the heading's, the
date of the sentence before, the publication. A learned ranker for each (``models/control_gainer.npz``,
``models/control_date.npz``, trained by ``frontline train control_gainer`` / ``control_date`` on the
benchmark's train split) scores every option from how it relates to the cue and the place; the best one
wins when the ranker is sure enough, else the rules' pick stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .base import ActorMention, DateMention, State
from .control_read import Candidate, eve, is_party, relation
from .events import TokenContext, is_armed_group

if TYPE_CHECKING:
    from spacy.tokens import Token

SURE = 0.35  # the ranker's best option replaces the rules' pick above this probability


@dataclass
class Option:
    value: Any  # an ActorMention or a DateMention
    features: dict[str, float]
    rules_pick: bool
    source: str = ""  # for a date: clause, sentence, heading, before1, publication ...


def _head(state: State, start: int, end: int) -> Token | None:
    doc = state.doc
    assert doc is not None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def _bucket(n: int) -> str:
    n = abs(n)
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-8" if n <= 8 else "9+"


def _key(m: ActorMention) -> Any:
    return m.actor.id if m.actor is not None else m.text.lower().removeprefix("the ")


# --- gainers -------------------------------------------------------------------------------------------


# People who speak for a side, not the ones who take ground: "officials said the city fell"
SPEAKER_NOUNS = {
    "officials", "official", "authorities", "spokesman", "spokeswoman", "spokesperson", "ministry",
}  # fmt: skip


def _could_gain(m: ActorMention, c: Candidate) -> bool:
    """An option the ranker may pick: not a side's spokespeople, and not an actor that did not yet (or no
    longer) exist on the change's day unless its name can be read as the one that did (``_as_of``)."""
    words = m.text.lower().split()
    if words and words[-1] in SPEAKER_NOUNS:
        return False
    day = eve(c.date)
    if m.actor is not None and day is not None and m.how != "named":
        return m.actor.active_on(day)
    return True


def gainer_options(state: State, c: Candidate, counts: dict[Any, int]) -> list[Option]:
    """The sides that might have gained the candidate's place, each with what relates it to the cue."""
    seen: dict[Any, ActorMention] = {}
    pool = [
        m
        for sent in range(c.sent - 2, c.sent + 2)
        for m in state.actors_in(sent)
        if (is_armed_group(m) or (m.actor is not None and is_party(m)) or m.how == "unresolved")
        and _could_gain(m, c)
    ]
    if c.gainer is not None:
        pool.append(c.gainer)
    for m in pool:
        seen.setdefault((_key(m), m.sent == c.sent), m)
    tok = c.cue.token
    out: list[Option] = []
    rules_key = _key(c.gainer) if c.gainer is not None else None
    loser_key = _key(c.loser) if c.loser is not None else None
    top = max(counts.values()) if counts else 0
    for m in seen.values():
        f: dict[str, float] = {"bias": 1.0}
        k = _key(m)
        pick = k == rules_key
        f[f"rules_pick={pick}"] = 1.0
        if pick and c.gainer_fallback:
            f["rules_pick_fallback"] = 1.0
        f[f"is_loser={k == loser_key}"] = 1.0
        f[f"role={c.cue.role}"] = 1.0
        head = _head(state, m.start, m.end)
        rel = relation(tok, head) if head is not None and m.sent == c.sent else None
        f[f"rel={rel}"] = 1.0
        f[f"role={c.cue.role}|rel={rel}"] = 1.0
        if head is not None:
            f[f"dep={head.dep_}"] = 1.0
        f[f"sent={m.sent - c.sent}"] = 1.0
        f[f"before_cue={m.start < tok.idx}"] = 1.0
        f[f"how={m.how}"] = 1.0
        if m.actor is not None:
            f[f"kind={m.actor.kind}"] = 1.0
            f[f"side={m.actor.side}"] = 1.0
            p = c.place.place
            if p is not None and m.actor.country_code:
                f[f"home={m.actor.country_code == p.country_code}"] = 1.0
        n = counts.get(k, 0)
        f[f"gains_in_report={_bucket(n)}"] = 1.0
        if n and n == top:
            f["most_gains_in_report"] = 1.0
        if m.text.lower().split()[0] in ("they", "it", "we", "our", "its", "their"):
            f["pronoun"] = 1.0
        f[f"modality={c.modality}"] = 1.0
        out.append(Option(m, f, pick))
    return out


def gain_counts(cands: list[Candidate]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for c in cands:
        if c.gainer is not None and not c.gainer_fallback and c.cue.role in ("gain", "expel", "fall"):
            counts[_key(c.gainer)] = counts.get(_key(c.gainer), 0) + 1
    return counts


# --- dates ---------------------------------------------------------------------------------------------


def date_options(state: State, c: Candidate, headings: dict[int, DateMention]) -> list[Option]:
    tok = c.cue.token
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
    pool: list[tuple[DateMention, str]] = []
    for dm in state.dates:
        if dm.date is None:
            continue
        if dm.sent == c.sent:
            pool.append((dm, "clause" if lo <= dm.start < hi else "sentence"))
        elif c.sent - 2 <= dm.sent < c.sent:
            pool.append((dm, f"before{c.sent - dm.sent}"))
    if c.sent in headings and headings[c.sent].date is not None:
        pool.append((headings[c.sent], "heading"))
    if c.date is not None and c.date.date is not None and all(dm is not c.date for dm, _ in pool):
        pool.append((c.date, c.date_source))
    published = state.article.published
    if published is not None:
        pub = DateMention.derived_from(published, 2, c.sent, "published")
        pool.append((pub, "publication"))
    out: list[Option] = []
    seen: set[tuple[dt.date | None, str]] = set()
    for dm, source in pool:
        if (dm.date, source) in seen:
            continue
        seen.add((dm.date, source))
        f: dict[str, float] = {"bias": 1.0}
        pick = c.date is not None and dm.date == c.date.date
        f[f"rules_pick={pick}"] = 1.0
        f[f"source={source}"] = 1.0
        f[f"precision={dm.precision}"] = 1.0
        f[f"relative={dm.relative}"] = 1.0
        if dm.start >= 0:
            gap_cue = dm.start - tok.idx
            gap_place = dm.start - c.place.start
            f[f"cue_gap={'after' if gap_cue > 0 else 'before'}:{_bucket(gap_cue // 20)}"] = 1.0
            f[f"place_gap={'after' if gap_place > 0 else 'before'}:{_bucket(gap_place // 20)}"] = 1.0
            words = state.text[max(0, dm.start - 12) : dm.start].lower().split()
            if words:
                f[f"prev_word={words[-1]}"] = 1.0
        if published is not None and dm.date is not None:
            days = (published - dm.date).days
            f[f"age={'future' if days < 0 else _bucket(days // 7)}"] = 1.0
        f[f"modality={c.modality}"] = 1.0
        f[f"cue_tag={tok.tag_}"] = 1.0
        for child in tok.children:
            if child.dep_ in ("aux", "mark"):
                f[f"cue_{child.dep_}={child.lower_}"] = 1.0
        out.append(Option(dm, f, pick, source))
    return out


# --- choosing ------------------------------------------------------------------------------------------


def choose(model: Any, options: list[Option], sure: float = SURE) -> Option | None:
    """The option the ranker scores best, when it is sure enough; None keeps the rules' pick."""
    if model is None or not options:
        return None
    scored = [(model.proba(o.features).get("yes", 0.0), o) for o in options]
    p, best = max(scored, key=lambda x: x[0])
    return best if p >= sure else None


def apply_choices(
    state: State,
    ctx: TokenContext,
    cands: list[Candidate],
    gainer_model: Any,
    date_model: Any,
    headings: dict[int, DateMention],
) -> None:
    if gainer_model is None and date_model is None:
        return
    counts = gain_counts(cands)
    for c in cands:
        if gainer_model is not None:
            best = choose(gainer_model, gainer_options(state, c, counts))
            if best is not None and best.value is not c.gainer:
                c.gainer, c.gainer_fallback = best.value, False
        # a date the rules counted from an offset ("a day after it seized Mosul") is not overruled
        offset = c.date is not None and c.date.derived == "offset" and c.date_source == "clause"
        if date_model is not None and not offset:
            best = choose(date_model, date_options(state, c, headings))
            if best is not None and (c.date is None or best.value.date != c.date.date):
                # a date read off the text around the cue counts as its own; the publication is a guess
                own = best.source in ("clause", "sentence", "heading") or best.source.startswith("before")
                c.date, c.date_source = best.value, (best.source if own else "inherited")
                if best.source.startswith("before"):
                    c.date_source = "sentence"
