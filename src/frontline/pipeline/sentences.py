"""Stage ``sentences``: sentence segments with their character spans; headings stand alone.

News pages put headings ("Rebel Advances and Freed Prisoners") on their own line with no full stop; the
parser would glue them to the next sentence. A small component placed before the parser starts a
sentence after every line break, and this stage marks such short unpunctuated lines as headings, which
the events stage does not read events from.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .base import Sentence, State

LINE_BREAK_COMPONENT = "frontline_line_breaks"
_END_PUNCT = tuple(".!?:;\"”’'…)")


def _line_breaks(doc: Doc) -> Doc:
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            doc[i].is_sent_start = True
        elif doc[i].is_space and "\n" in doc[i].text and i + 1 < len(doc):
            doc[i + 1].is_sent_start = True
    return doc


def register_components() -> None:
    if not Language.has_factory(LINE_BREAK_COMPONENT):
        Language.component(LINE_BREAK_COMPONENT)(_line_breaks)


def is_heading(text: str) -> bool:
    """A short line with no closing punctuation, mostly capitalised words: a heading, not a sentence."""
    stripped = text.strip()
    if not stripped or "\n" in stripped or stripped.endswith(_END_PUNCT):
        return False
    words = stripped.split()
    if len(words) > 14:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised >= max(1, len(words) // 2)


class SentenceStage:
    name = "sentences"
    requires: tuple[str, ...] = ("doc",)
    sets: tuple[str, ...] = ("sentences",)

    def __call__(self, state: State) -> None:
        assert state.doc is not None
        out: list[Sentence] = []
        for sent in state.doc.sents:
            # trim surrounding whitespace so spans point at the words
            start, end = sent.start_char, sent.end_char
            text = state.text[start:end]
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            start, end = start + lead, end - trail
            if start >= end:
                continue
            seg = state.text[start:end]
            out.append(Sentence(index=len(out), start=start, end=end, text=seg, heading=is_heading(seg)))
        state.sentences = out
