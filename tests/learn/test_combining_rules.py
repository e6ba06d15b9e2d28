"""How the modality and PLOVER-mode classifiers combine with the rules, with stand-in classifiers whose
answers the tests choose: the mode is chosen among the modes of the event's own PLOVER event, and the
modality classifier changes only what the rules read as told (asserted, claimed) and never makes history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from frontline.article import Article
from frontline.pipeline import Pipeline, Resources
from frontline.pipeline.base import State
from frontline.pipeline.modality import LearnedModalityStage
from frontline.pipeline.typing import TypingStage


class Says:
    """A classifier that gives the same probabilities for every event."""

    def __init__(self, **p: float) -> None:
        self.p = {k.replace("__", "/"): v for k, v in p.items()}

    def proba(self, features: Any) -> dict[str, float]:
        return dict(self.p)


@pytest.fixture(scope="module")
def state() -> State:
    text = "Protesters blocked the main road in Nairobi on Monday, and police arrested twelve of them."
    pipe = Pipeline(Resources.load())
    return pipe.run(Article(text=text, id="t", published=dt.date(2025, 3, 5)))


def test_the_mode_is_one_of_the_events_own_modes(state: State) -> None:
    stage = TypingStage(mode_model=Says(ASSAULT__firearms=0.6, PROTEST__obstruct=0.3, PROTEST__none=0.1))
    protest = next(d for d in state.events if d.plover == "PROTEST")
    stage.decide_mode(state, protest)
    # firearms is the likeliest mode overall, but not one of PROTEST's: obstruct has 0.3 of PROTEST's 0.4
    assert protest.plover_mode == "obstruct"


def test_no_mode_is_an_answer_too(state: State) -> None:
    protest = next(d for d in state.events if d.plover == "PROTEST")
    TypingStage(mode_model=Says(PROTEST__none=0.9, PROTEST__obstruct=0.1)).decide_mode(state, protest)
    assert protest.plover_mode is None


def test_an_unsure_mode_classifier_leaves_the_lexicons_mode(state: State) -> None:
    protest = next(d for d in state.events if d.plover == "PROTEST")
    protest.plover_mode = "obstruct"
    stage = TypingStage(mode_model=Says(PROTEST__none=0.3, PROTEST__riot=0.35, PROTEST__obstruct=0.35))
    stage.decide_mode(state, protest)
    assert protest.plover_mode == "obstruct"


@pytest.mark.parametrize(
    ("rules", "says", "expected"),
    [
        ("asserted", {"claimed": 0.9, "asserted": 0.1}, "claimed"),
        ("claimed", {"asserted": 0.8, "claimed": 0.2}, "asserted"),
        ("asserted", {"claimed": 0.55, "asserted": 0.45}, "asserted"),  # below its confidence
        ("asserted", {"historical": 0.95, "asserted": 0.05}, "asserted"),  # history is the dates'
        ("historical", {"asserted": 0.95, "historical": 0.05}, "historical"),
        ("negated", {"asserted": 0.95, "negated": 0.05}, "negated"),  # "no fighting was reported"
        ("hypothetical", {"asserted": 0.95}, "hypothetical"),  # "had been trying to take the town"
    ],
)
def test_what_the_modality_classifier_may_change(
    state: State, rules: str, says: dict[str, float], expected: str
) -> None:
    draft = state.events[0]
    draft.modality = rules
    LearnedModalityStage(Says(**says)).decide(state, draft)
    assert draft.modality == expected
