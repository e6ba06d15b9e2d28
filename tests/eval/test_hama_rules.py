"""Acceptance: the real pipeline's reading of the Hama report satisfies every must rule of
``shared/examples/hama-2024-12/expected.json`` and violates no must_not rule (issue 2's "done when").

One test per rule, so that a failure names the rule, says why it matters, and shows the nearest miss.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontline.errors import ConfigError
from frontline.eval import HAMA_ARTICLE, HAMA_EXPECTED, shared_dir
from frontline.eval.rules import check_rule, load_rules


def _required_rules() -> list:
    # Read at collection so that each rule is its own test; without the shared data, one test that fails.
    try:
        ruleset = load_rules(shared_dir() / HAMA_EXPECTED)
    except ConfigError:
        # The ``hama`` fixture then fails on the ``shared`` fixture, with the reason.
        return [pytest.param(None, id="shared-data-missing")]
    return [pytest.param(rule, id=rule.label) for rule in ruleset.rules if rule.kind != "should"]


@pytest.fixture(scope="module")
def hama(shared: Path, pipeline):
    import frontline

    article = json.loads((shared / HAMA_ARTICLE).read_text(encoding="utf-8"))
    return frontline.extract(
        article["text"], published=article["published"], id=article["id"], pipeline=pipeline
    )


@pytest.mark.parametrize("rule", _required_rules())
def test_hama_rule_holds(rule, hama) -> None:
    result = check_rule(rule, hama)
    assert result.passed, f"{rule.label} ({rule.why}): {result.reason}"
