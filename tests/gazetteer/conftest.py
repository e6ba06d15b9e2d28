"""Fixtures of the geoparser tests: the real pipeline and index (built once by set-up or at first use)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "geo"


@pytest.fixture(scope="session")
def gazetteer(pipeline):
    """The pipeline's own GeoNames index: opened once, shared with the pipeline."""
    return pipeline.resources.gazetteer


@pytest.fixture(scope="session")
def parse(pipeline):
    """Run the stages up to toponyms on a text; returns the State (places, doc, sentences)."""
    from frontline.gazetteer.geoparse import geoparse_state

    def run(text: str):
        return geoparse_state(text, pipeline=pipeline)

    return run


@pytest.fixture(scope="session")
def geo_data() -> Path:
    return DATA
