"""The actors stage inside the assembled pipeline (entity ruler in front of spaCy's NER, real gazetteer)."""

from __future__ import annotations

import pytest

from frontline.pipeline.base import State

from .conftest import find


@pytest.fixture(scope="module")
def hama_state(pipeline, hama_article) -> State:
    from frontline.article import from_mapping

    return pipeline.run(from_mapping(hama_article, name="hama article.json"))


def test_pipeline_includes_the_actors_stage(pipeline) -> None:
    assert "actors" in [stage.name for stage in pipeline.stages]


def test_hama_actors_through_the_pipeline(hama_state: State) -> None:
    assert hama_state.countries[0] == "SY"
    ids = {m.text: (m.how, m.actor.id if m.actor else None) for m in hama_state.actors}
    assert ids["Hayat Tahrir al-Sham"] == ("named", "hts")
    assert ids["The group"] == ("coref", "hts")
    assert ids["Fighters"] == ("generic", "hts")
    assert ids["Assad’s forces"] == ("named", "syria-forces-assad")
    assert ids["government forces"] == ("generic", "syria-forces-assad")
    jolani = find(hama_state, "HTS leader Abu Mohammad al-Jolani")
    assert jolani.person == "Abu Mohammad al-Jolani" and jolani.actor is not None and jolani.actor.id == "hts"
    assert find(hama_state, "Hafez al-Assad").person == "Hafez al-Assad"
    for m in hama_state.actors:
        assert hama_state.text[m.start : m.end] == m.text
