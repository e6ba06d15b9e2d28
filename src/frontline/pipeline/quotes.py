"""Stage ``quotes``: direct quotes and reported speech, with speaker and affiliation.

Direct quotes are the text between quotation marks (curly or straight, across sentences within a
paragraph). The speaker is the subject of the verb of saying next to the quote ("..., said Samuel Ramani",
"Ramani explained", "as he declared"); a quote with no attribution of its own that follows an attributed
one in the same or the next paragraph continues the same speaker. "Ramani" is expanded to the full name
used earlier, "he" to the last person named, "an HTS spokesperson" to the group. The affiliation comes from
an apposition ("an expert at the Royal United Services Institute"), the speaker's group, or an earlier
mention of the same person. Reported speech is a verb of saying with a clause ("stating that troops
repositioned ..."), outside quotation marks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema import Actor, Quote
from .base import ActorMention, State, mention_at

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SAY_VERBS = {
    "say",
    "tell",
    "state",
    "announce",
    "declare",
    "explain",
    "add",
    "note",
    "claim",
    "confirm",
    "insist",
    "write",
    "post",
    "acknowledge",
    "admit",
    "assert",
    "argue",
    "warn",
    "exclaim",
    "shout",
    "tweet",
    "reply",
    "respond",
    "caution",
    "stress",
    "urge",
    "vow",
    "deny",
    "continue",
    "conclude",
    "remark",
    "recall",
    "predict",
    "describe",
    "call",
    "comment",
    "allege",
    "told",
    "chant",
    "scream",
    "cry",
    "reiterate",
    "emphasise",
    "emphasize",
    "observe",
    "quip",
    "boast",
}
REPORTED_VERBS = {
    "say",
    "tell",
    "state",
    "announce",
    "declare",
    "claim",
    "confirm",
    "insist",
    "acknowledge",
    "admit",
    "assert",
    "argue",
    "warn",
    "deny",
    "allege",
    "report",
    "add",
    "stress",
    "reiterate",
}
QUOTE_RE = re.compile(r"“([^”\n]{2,}?)”|\"([^\"\n]{2,}?)\"|“([^”\n]{8,})(?=\n|$)")
TITLE_WORDS = {
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "official",
    "officials",
    "commander",
    "leader",
    "minister",
    "president",
    "expert",
    "analyst",
    "source",
    "sources",
    "witness",
    "resident",
    "fighter",
    "soldier",
    "officer",
    "general",
    "governor",
    "mayor",
    "chief",
    "head",
    "director",
}


@dataclass
class _Speaker:
    text: str
    name: str | None
    side: str | None = None
    country_code: str | None = None
    affiliation: str | None = None

    def actor(self) -> Actor:
        return Actor(text=self.text, name=self.name, side=self.side, country_code=self.country_code)


class QuoteStage:
    name = "quotes"
    requires: tuple[str, ...] = ("doc", "sentences", "actors")
    sets: tuple[str, ...] = ("quotes",)

    def __call__(self, state: State) -> None:
        doc = state.doc
        assert doc is not None
        self._people: dict[str, _Speaker] = {}  # surname / full name -> what we know of the person
        # Entities and person mentions indexed once: scanning them for every speaker made the stage's
        # cost grow with the square of the article's length.
        self._ents = state.ents()
        self._ent_starts = [e.start for e in self._ents]
        self._person_at: dict[int, Span] = {}
        self._person_ending: dict[int, Span] = {}
        for e in self._ents:
            if e.label_ == "PERSON":
                self._person_ending.setdefault(e.end, e)
                for i in range(e.start, e.end):
                    self._person_at.setdefault(i, e)
        self._person_ents = [e for e in self._ents if e.label_ == "PERSON"]
        self._person_ent_ends = [e.end_char for e in self._person_ents]
        self._persons = [m for m in state.actors if m.how == "person"]
        self._person_ends = [m.end for m in self._persons]
        # The actors stage sorts its mentions and they do not overlap, so their ends ascend too.
        self._persons_ordered = all(
            a <= b for a, b in zip(self._person_ends, self._person_ends[1:], strict=False)
        )
        quotes: list[Quote] = []
        last: tuple[_Speaker, int] | None = None  # the last attributed speaker and the paragraph it was in
        quoted_ranges: list[tuple[int, int]] = []
        para, counted_to = 0, 0  # paragraph breaks before the quote, counted as the quotes go by
        for m in QUOTE_RE.finditer(state.text):
            g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
            start, end = m.start(g), m.end(g)
            inner = state.text[start:end].strip().rstrip(",")
            if len(inner.split()) < 3:
                continue  # scare quotes ("urban combat") are not speech
            quoted_ranges.append((m.start(), m.end()))
            speaker = self._attribution(state, m.start(), m.end())
            para += state.text.count("\n", counted_to, m.start())
            counted_to = m.start()
            if speaker is None and last is not None and para - last[1] <= 1:
                speaker = last[0]
            if speaker is None:
                continue
            last = (speaker, para)
            quotes.append(
                Quote(
                    speaker=speaker.actor(),
                    affiliation=speaker.affiliation,
                    text=inner,
                    span=(start, start + len(inner)),
                )
            )
        quotes.extend(self._reported(state, quoted_ranges))
        quotes.sort(key=lambda q: q.span[0])
        state.quotes = quotes

    # --- direct quotes --------------------------------------------------------------------------------

    def _attribution(self, state: State, qstart: int, qend: int) -> _Speaker | None:
        doc = state.doc
        assert doc is not None
        # the sentence(s) around the closing and the opening quotation mark
        candidates: list[Token] = []
        for char in (qend - 1, qstart):
            span = _sentence_span(state, char)
            if span is None:
                continue
            for tok in span:
                if (
                    tok.lemma_.lower() in SAY_VERBS
                    and tok.pos_ in ("VERB", "AUX")
                    and not (qstart <= tok.idx < qend)
                ):
                    candidates.append(tok)
            if candidates:
                break
        # nearest verb of saying outside the quote wins
        candidates.sort(key=lambda t: min(abs(t.idx - qend), abs(t.idx - qstart)))
        for verb in candidates:
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or (qstart <= subj.idx < qend):
                continue
            return self._speaker(state, subj)
        return None

    def _speaker(self, state: State, subj: Token) -> _Speaker:
        doc = state.doc
        assert doc is not None
        # the subject phrase without its apposition/relative clause: "Samuel Ramani", not the whole apposition
        words = [t for t in subj.subtree if not _in_appos(t, subj)]
        text = state.text[words[0].idx : words[-1].idx + len(words[-1])] if words else subj.text
        affiliation = _appos_affiliation(subj, self._ents, self._ent_starts)
        mention = mention_at(state, subj)
        if subj.pos_ == "PRON" and subj.lower_ in ("he", "she", "they", "we", "i"):
            person = self._last_person(state, subj.idx)
            if person is not None:
                known = self._people.get(person.person or person.text)
                return _Speaker(
                    text=subj.text,
                    name=person.person or person.text,
                    side=person.actor.side if person.actor else None,
                    country_code=person.actor.country_code if person.actor else None,
                    affiliation=(known.affiliation if known else None)
                    or (person.actor.name if person.actor else None),
                )
        name: str | None = None
        side = country = None
        person_ent = self._person_at.get(subj.i)
        if person_ent is not None and (mention is None or mention.how != "person"):
            # "regional governor Oleh Syniehubov said": the person speaks, not a group named nearby
            mention = None
            name = person_ent.text
            text = person_ent.text
        if mention is not None:
            name = mention.person or (mention.actor.name if mention.actor else None)
            if mention.actor is not None:
                side, country = mention.actor.side, mention.actor.country_code
                if mention.person or any(w.lower_ in TITLE_WORDS for w in words):
                    affiliation = affiliation or mention.actor.name

        # "Ramani" after "Samuel Ramani": the full name and what we knew of him
        key = name or text
        known = self._people.get(key) or self._people.get(key.split()[-1] if key.split() else key)
        if known is not None:
            name = known.name or name
            affiliation = affiliation or known.affiliation
            side = side or known.side
            country = country or known.country_code
        speaker = _Speaker(text=text, name=name, side=side, country_code=country, affiliation=affiliation)
        if name:
            self._people[name] = speaker
            self._people.setdefault(name.split()[-1], speaker)
        return speaker

    def _last_person(self, state: State, char: int) -> ActorMention | None:
        """The last person named before ``char``: an actor mention, else a PERSON entity."""
        if self._persons_ordered:
            i = bisect.bisect_right(self._person_ends, char) - 1
            best = self._persons[i] if i >= 0 else None
        else:
            best = next((m for m in reversed(self._persons) if m.end <= char), None)
        if best is not None:
            return best
        # entities are in text order and disjoint: their ends ascend
        i = bisect.bisect_right(self._person_ent_ends, char) - 1
        if i < 0:
            return None
        ent = self._person_ents[i]
        return ActorMention(
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            sent=state.sentence_of(ent.start_char),
            actor=None,
            how="person",
            person=ent.text,
        )

    # --- reported speech --------------------------------------------------------------------------------

    def _reported(self, state: State, quoted: list[tuple[int, int]]) -> list[Quote]:
        doc = state.doc
        assert doc is not None
        out: list[Quote] = []
        quoted_starts = [s for s, _ in quoted]  # in text order, as the quotes were found
        for sent in state.sentences:
            if sent.heading:
                continue
            span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            if span is None:
                continue
            for tok in span:
                if tok.lemma_.lower() not in REPORTED_VERBS or tok.pos_ not in ("VERB",):
                    continue
                comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
                if comp is None or _in_ranges(quoted, quoted_starts, comp.idx):
                    continue
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                named = self._person_ending.get(tok.i)
                if named is not None:
                    subj = (
                        named.root
                    )  # "..., regional governor Oleh Syniehubov said": the name before the verb
                if subj is None and tok.dep_ in ("advcl", "xcomp", "conj"):
                    subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
                if subj is None or _in_ranges(quoted, quoted_starts, subj.idx):
                    continue
                speaker = self._speaker(state, subj)
                if (
                    speaker.name is None
                    and mention_at(state, subj) is None
                    and subj.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE")
                ):
                    continue
                words = [t for t in comp.subtree]
                if words and words[0].dep_ == "mark":
                    words = words[1:]
                if len(words) < 3:
                    continue
                start = words[0].idx
                end = words[-1].idx + len(words[-1])
                out.append(
                    Quote(
                        speaker=speaker.actor(),
                        affiliation=speaker.affiliation,
                        text=state.text[start:end],
                        span=(start, end),
                    )
                )
        return out


def _sentence_span(state: State, char: int) -> Span | None:
    doc = state.doc
    assert doc is not None
    sent = state.sentences[state.sentence_of(char)] if state.sentences else None
    if sent is None:
        return None
    return doc.char_span(sent.start, sent.end, alignment_mode="expand")


def _in_appos(tok: Token, root: Token) -> bool:
    cur = tok
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.dep_ in ("appos", "relcl", "acl", "punct") and cur.head.i == root.i:
            return True
        cur = cur.head
    return tok.dep_ == "punct" and tok.head.i == root.i


def _in_ranges(ranges: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` is inside one of ``ranges`` (sorted, disjoint; ``starts`` their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ranges[i][1]


def _appos_affiliation(subj: Token, ents: tuple[Span, ...], ent_starts: list[int]) -> str | None:
    """ "Samuel Ramani, an expert at the Royal United Services Institute" -> the institute."""
    for child in subj.children:
        if child.dep_ != "appos":
            continue
        lo, hi = child.left_edge.i, child.right_edge.i + 1
        # entities are in text order: only those starting inside the apposition can lie within it
        for ent in ents[bisect.bisect_left(ent_starts, lo) : bisect.bisect_left(ent_starts, hi)]:
            if ent.label_ in ("ORG", "GPE", "NORP") and ent.end <= hi:
                text = ent.text
                return text[4:] if text.lower().startswith("the ") else text
        # no entity: the apposition's "at/of/with X" object
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "with", "for", "from"):
                objs = [c for c in prep.children if c.dep_ == "pobj"]
                if objs:
                    words = list(objs[0].subtree)
                    text = " ".join(w.text for w in words)
                    return text[4:] if text.lower().startswith("the ") else text
    return None
