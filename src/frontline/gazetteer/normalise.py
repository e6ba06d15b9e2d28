"""Name keys: how a place name as reporters write it meets the same name as GeoNames spells it.

Three keys per name, from strict to loose, so the resolver can tell how good a match was:

- ``exact_key``: case, diacritics, apostrophe-like letters (ʿ ‘ ’ ' ʾ `) and punctuation removed, hyphens
  as spaces: "Ḩamāh" -> "hamah", "Ma‘arrat an Nu‘mān" -> "maarrat an numan".
- ``skeleton_key``: Arabic articles dropped (al-/el-/an-/as-/ash- ..., at any word), doubled letters
  collapsed, a word-final "h" after a vowel dropped, common vowel spellings folded (ou/oo -> u, ee/ei -> i,
  ay/ai/ey -> i): "Maarat al-Numan" and "Ma‘arrat an Nu‘mān" both -> "marat numan"; "Hamah" -> "hama".
- ``loose_key``: the skeleton's consonants only (vowels, y and w dropped except a leading one), spaces
  removed: "Kobani"/"Kobane" -> "kbn", "Avdiivka"/"Avdiyivka" -> "avdvk", "Homs"/"Hims" -> "hms". Loose
  enough to join transliterations, so the resolver trusts it only with context.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that transliterations write for ayin/hamza, and quote marks reporters use in their place.
_APOSTROPHES = "ʿʾʻʼ‘’'`´ʹ′ˈ"
_DROP = str.maketrans("", "", _APOSTROPHES + '"“”')
# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ħ": "h",
        "ŀ": "l",
        "ŧ": "t",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Arabic definite article, with the sun-letter assimilations transliterations write (an-Numan, ash-Sham),
# and the French/Spanish/Italian ones in place names (El, La, Le ...) are left alone: those are part of the
# name as everyone writes it, whereas "al-" is written, dropped or assimilated at will.
_ARTICLES = frozenset(
    {
        "al",
        "el",
        "ad",
        "adh",
        "an",
        "ar",
        "as",
        "ash",
        "at",
        "ath",
        "az",
        "ed",
        "en",
        "er",
        "es",
        "esh",
        "et",
        "ez",
        "il",
        "ul",
    }
)
_VOWEL_FOLDS = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "i"),
    ("ay", "i"),
    ("ai", "i"),
    ("ey", "i"),
    ("ie", "i"),
    ("iy", "i"),
    ("aw", "o"),
    ("kh", "x"),
    ("gh", "g"),
    ("q", "k"),
    ("ck", "k"),
    ("ph", "f"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
_LOOSE_DROP = re.compile(r"[aeiouyw ]")


def _exact(name: str) -> str:
    text = name.translate(_DROP).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)
    return _NON_WORD.sub(" ", text).strip()


def _skeleton(exact: str) -> str:
    words = exact.split()
    # "al" glued to the next word with a hyphen became its own word in the exact key, so one rule covers
    # "al-Numan", "al Numan" and "an-Numan"; a name that is only an article keeps it.
    kept = [w for w in words if w not in _ARTICLES] or words
    return " ".join(_skeleton_word(w) for w in kept)


def _loose(skeleton: str) -> str:
    skel = skeleton.replace(" ", "")
    return skel[0] + _LOOSE_DROP.sub("", skel[1:]) if skel else ""


def _skeleton_word(word: str) -> str:
    for a, b in _VOWEL_FOLDS:
        word = word.replace(a, b)
    word = _DOUBLE.sub(r"\1", word)
    if len(word) > 3 and word.endswith("h") and word[-2] in "aeiou":
        word = word[:-1]
    return word


def all_keys(name: str) -> tuple[str, str, str]:
    """(exact, skeleton, loose) keys of a name, computed once (the index build calls this millions of
    times, on names mostly seen once, so it is not cached)."""
    exact = _exact(name)
    skeleton = _skeleton(exact)
    return exact, skeleton, _loose(skeleton)


@lru_cache(maxsize=200_000)
def exact_key(name: str) -> str:
    """Lower case, no diacritics or apostrophes, words separated by single spaces."""
    return _exact(name)


@lru_cache(maxsize=200_000)
def skeleton_key(name: str) -> str:
    """The exact key with articles dropped and spelling variants folded."""
    return _skeleton(exact_key(name))


@lru_cache(maxsize=200_000)
def loose_key(name: str) -> str:
    """The skeleton's consonants (a leading vowel kept): joins transliterations, so use with context."""
    return _loose(skeleton_key(name))


@lru_cache(maxsize=200_000)
def spelling_key(name: str) -> str:
    """The exact key with every form of the Arabic article written "al" and doubled letters single:
    "Jisr al-Shughur" and "Jisr ash Shughur", "Maarat" and "Maarrat" are one spelling of one name, a
    closer match than the skeleton's vowel folds."""
    words = ["al" if w in _ARTICLES else w for w in exact_key(name).split()]
    return _DOUBLE.sub(r"\1", " ".join(words))


# Latin script: ASCII, Latin-1, Latin Extended-A/B and Additional, IPA and spacing modifier letters (ʿ ʾ),
# combining marks, and the typographic quotes transliterations use.
_LATIN = re.compile("^[\u0000-\u024f\u0250-\u02ff\u0300-\u036f\u1e00-\u1eff\u2010-\u201f\u2032]*$")


def is_latin(name: str) -> bool:
    """True when a name is written in Latin letters (with or without diacritics): the only ones English
    news uses, so the index keeps no others."""
    return name.isascii() or _LATIN.match(name) is not None
