"""``frontline.geoparse``: the place names of a text, resolved, through the same stages ``extract`` runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..article import Article
from ..pipeline.base import State
from ..schema import Toponym

if TYPE_CHECKING:
    from ..pipeline import Pipeline


def geoparse_state(text: str, *, pipeline: Pipeline) -> State:
    """Run the pipeline's stages up to and including ``toponyms`` (the later ones are not needed)."""
    state = State(article=Article(text=text), text=text)
    for stage in pipeline.stages:
        stage(state)
        if stage.name == "toponyms":
            break
    return state


def geoparse(text: str, *, pipeline: Pipeline) -> list[Toponym]:
    """Every place name in ``text`` as the ``toponyms`` of the output contract, in text order.

    Anaphors ("the city") and demonyms ("Syrian") are not place names and are left out; the pipeline
    still uses them for event locations and the article's country context.
    """
    state = geoparse_state(text, pipeline=pipeline)
    return [m.to_toponym() for m in state.places if not m.anaphor and not m.demonym]
