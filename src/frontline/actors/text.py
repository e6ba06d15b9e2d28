"""Tokens for matching actor names: the same normalisation for catalogue phrases and article text.

spaCy's tokens differ with spelling ("al-Sham" is three tokens, "al Sham" two) and its model mislabels many
Arabic names, so catalogue phrases are matched over our own normalised word sequence: lower case, accents
and apostrophe variants folded, hyphens dropped, common transliteration variants merged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Words ("Tahrir", "M23"), dotted abbreviations ("U.S.", "U.N."), possessive 's (any apostrophe).
_TOKEN_RE = re.compile(r"(?P<abbr>(?:[A-Za-z]\.){2,})|(?P<poss>['’‘`ʼ][sS]\b)|(?P<word>[^\W_]+)")
_HYPHENS = "-‐‑‒–"

# Transliteration variants folded to one spelling; symmetric, because catalogue phrases go through it too.
_VARIANTS = {
    "mohammed": "mohammad",
    "muhammad": "mohammad",
    "mohamed": "mohammad",
    "muhammed": "mohammad",
    "mohamad": "mohammad",
    "mohammod": "mohammad",
    "abdel": "abdul",
    "abdal": "abdul",
    "el": "al",
    "defence": "defense",
    "organisation": "organization",
    "hizbollah": "hezbollah",
    "hizbullah": "hezbollah",
    "hizballah": "hezbollah",
    "shabab": "shabaab",
    "huthi": "houthi",
    "huthis": "houthis",
    "qaida": "qaeda",
    "julani": "jolani",
}
# Arabic article written as its assimilated form before a hyphen ("ash-Sham", "ad-Din"): read as "al".
_SUN_ARTICLES = {"ash", "as", "ad", "an", "ar", "at", "az", "adh", "ath", "al", "el", "ul"}


@dataclass(slots=True)
class Token:
    norm: str  # normalised form used for matching
    start: int  # character offsets into the text the tokens were made from
    end: int
    raw: str  # as written (dotted abbreviations without their dots)
    joined: bool = False  # attached to the previous token by a hyphen ("regime-controlled")

    @property
    def has_upper(self) -> bool:
        return any(c.isupper() for c in self.raw)


def fold(word: str) -> str:
    """Lower case without accents: "Türkiye" -> "turkiye"."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def _normal_word(raw: str) -> str:
    # Words repeat across phrases and articles: folding each once per process keeps loading and
    # matching cheap.
    norm = fold(raw)
    return _VARIANTS.get(norm, norm)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Normalised tokens of ``text[start:end]`` with offsets into ``text``."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        raw = m.group(0)
        if m.lastgroup == "poss":
            norm, raw = "'s", "'s"
        elif m.lastgroup == "abbr":
            raw = raw.replace(".", "")
            norm = raw.lower()
        else:
            norm = _normal_word(raw)
        gap = text[tokens[-1].end : m.start()] if tokens else ""
        joined = bool(tokens) and len(gap) == 1 and gap in _HYPHENS
        tokens.append(Token(norm, m.start(), m.end(), raw, joined))
    for i, tok in enumerate(tokens[:-1]):
        if tok.norm in _SUN_ARTICLES and tokens[i + 1].joined:
            tok.norm = "al"
    return tokens


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The normalised token sequence of a catalogue phrase."""
    return tuple(t.norm for t in tokenize(phrase))
