"""`frontline train` on a small benchmark written here: it reads the train split only, writes the model and
its training report (data hashes, seed, scores, the model's sha256), and gives the same model twice."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from frontline.bench.corpus import pin
from frontline.cli import main

REPORTS = [
    (
        "Rebels seized the town of Kupiansk on Monday after fierce fighting. The army said it had withdrawn "
        "from Kupiansk. Rebels have also vowed to take Izium next.",
        [("Kupiansk", 49.71, 37.62)],
        [("Izium", 49.21, 37.26, "threatened", "Rebels have also vowed to take Izium next.")],
    ),
    (
        "Government forces recaptured Bakhmut on Friday. Analysts said the army could push towards "
        "Soledar, but troops have not entered it.",
        [("Bakhmut", 48.59, 38.0)],
        [("Soledar", 48.68, 38.08, "hypothetical", "Analysts said the army could push towards Soledar")],
    ),
    (
        "Fighters overran Avdiivka on Saturday, the defence ministry said. Shelling hit Kharkiv, where "
        "no side has gained ground.",
        [("Avdiivka", 48.14, 37.74)],
        [("Kharkiv", 49.99, 36.23, "mention", "Shelling hit Kharkiv, where no side has gained ground.")],
    ),
]


def write_corpus(root: Path) -> None:
    (root / "reports").mkdir(parents=True)
    (root / "conflicts.yaml").write_text("train:\n  ukraine-2022: Ukraine\n", encoding="utf-8")
    lines = []
    for n, (text, places, nots) in enumerate(REPORTS):
        first = text.split(". ")[0] + "."
        lines.append(
            {
                "id": f"ukraine-2022-test-{n}",
                "conflict": "ukraine-2022",
                "genre": "brief",
                "title": None,
                "published": "2024-06-20",
                "outlet": "tests",
                "text": text,
                "control_changes": [
                    {
                        "place": {"name": name, "country": "UA", "lat": lat, "lon": lon, "kind": "city"},
                        "to": {"name": "Rebels", "aliases": ["Rebels", "Fighters", "Government forces"]},
                        "date": None,
                        "status": "confirmed",
                        "evidence": first,
                    }
                    for name, lat, lon in places
                ],
                "not_changes": [
                    {
                        "place": {"name": name, "country": "UA", "lat": lat, "lon": lon, "kind": "city"},
                        "reason": why,
                        "evidence": ev,
                    }
                    for name, lat, lon, why, ev in nots
                ],
                "events": [],
                "quotes": [],
                "provenance": {"written_by": "tests"},
            }
        )
    (root / "reports" / "train.jsonl").write_text(
        "".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8"
    )
    pin(root)


def test_train_writes_a_reproducible_model_and_its_report(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = CliRunner().invoke(main, ["train", "control", "--corpus", str(corpus), "--out", str(out)])
        assert result.exit_code == 0, result.output
        report = json.loads((out / "control.json").read_text(encoding="utf-8"))
        model_bytes = (out / "control.npz").read_bytes()
        assert report["model"]["sha256"] == hashlib.sha256(model_bytes).hexdigest()
        source = report["data"][0]
        assert source["name"] == "reports/train" and source["records"] == 3 and source["examples"] > 0
        assert (
            source["sha256"] == hashlib.sha256((corpus / "reports" / "train.jsonl").read_bytes()).hexdigest()
        )
        assert report["training"]["seed"] == 13
        digests.append(report["model"]["sha256"])
    assert digests[0] == digests[1]


def test_train_refuses_an_unpinned_split(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    (corpus / "SHA256SUMS").unlink()
    result = CliRunner().invoke(
        main, ["train", "control", "--corpus", str(corpus), "--out", str(tmp_path / "m")]
    )
    assert result.exit_code != 0 and "not pinned" in result.output
