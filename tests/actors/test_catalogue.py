"""The actor catalogue: built-in files, user files, validation errors, lookups and ruler patterns."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from frontline.actors import ActorCatalogue, Catalogue, load_catalogue
from frontline.actors.catalogue import DATA_DIR
from frontline.errors import CatalogueError

CONFLICTS = (
    "syria",
    "ukraine",
    "sudan",
    "drc",
    "myanmar",
    "sahel",
    "israel",
    "yemen",
    "somalia",
    "ethiopia",
    "haiti",
)


def test_builtin_catalogue_covers_every_conflict(catalogue: ActorCatalogue) -> None:
    assert isinstance(catalogue, Catalogue)
    for conflict in CONFLICTS:
        assert (DATA_DIR / f"{conflict}.yaml").is_file()
        named = [a for a in catalogue.actors.values() if a.conflicts[:1] == (conflict,)]
        assert len(named) >= 5, conflict
    counts = catalogue.counts()
    assert counts["actors"] >= 200 and counts["aliases"] >= 1000 and counts["persons"] >= 80
    generic_ids = {a.id for a in catalogue.actors.values() if a.generic}
    assert {"rebels", "government-forces", "protesters", "civilians", "police"} <= generic_ids


def test_every_file_has_a_version(catalogue: ActorCatalogue) -> None:
    assert set(catalogue.versions) == {str(p) for p in sorted(DATA_DIR.glob("*.yaml"))}
    assert all(v for v in catalogue.versions.values())


def test_load_is_fast_and_cached() -> None:
    load_catalogue()  # the first call may parse; later calls in the process must be free
    started = time.perf_counter()
    again = load_catalogue()
    assert time.perf_counter() - started < 0.05
    assert again is load_catalogue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HTS", "hts"),
        ("Hayat Tahrir al-Sham", "hts"),
        ("Hayat Tahrir Al Sham", "hts"),
        ("Hay’at Tahrir al-Sham", "hts"),
        ("the Rapid Support Forces", "rsf"),
        ("RSF", "rsf"),
        ("Tatmadaw", "tatmadaw"),
        ("JNIM", "jnim"),
        ("Houthis", "houthis"),
        ("Ansar Allah", "houthis"),
        ("al-Shabab", "al-shabaab"),
        ("Al Shabaab", "al-shabaab"),
        ("M23", "m23"),
        ("Wagner Group", "wagner"),
        ("Hizbullah", "hezbollah"),
        ("Assad", "syria-government-assad"),
        ("Hemedti", "rsf"),
        ("the Syrian army", "syria-forces-assad"),
        ("the Malian army", "fama"),
        ("rebels", "rebels"),
    ],
)
def test_lookup(catalogue: ActorCatalogue, text: str, expected: str) -> None:
    assert expected in [a.id for a in catalogue.lookup(text)]


def test_lookup_abbreviations_are_case_sensitive(catalogue: ActorCatalogue) -> None:
    assert catalogue.lookup("hts") == []
    assert catalogue.lookup("Unknown Brigade of Nowhere") == []


def test_ruler_patterns(catalogue: ActorCatalogue) -> None:
    patterns = dict(catalogue.ruler_patterns())
    for phrase in (
        "Hayat Tahrir al-Sham",
        "HTS",
        "Wagner Group",
        "RSF",
        "M23",
        "Tatmadaw",
        "JNIM",
        "Houthis",
        "al-Shabaab",
    ):
        assert patterns.get(phrase) == "ORG", phrase
    assert patterns.get("Abu Mohammad al-Jolani") == "PERSON"
    # Generic words and ambiguous short abbreviations stay out of the ruler.
    for phrase in ("rebels", "army", "the army", "troops", "IS", "PDF", "UN", "settlers", "civilians"):
        assert phrase not in patterns, phrase


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


USER_FILE = """
version: 3
conflict: mozambique
countries:
  - {code: MZ, names: [Mozambique], demonyms: [Mozambican], forces: [mz-forces]}
actors:
  - {id: mz-forces, name: Mozambican armed forces, kind: state_forces, side: government, country: MZ}
  - id: ansar-al-sunna
    name: Ansar al-Sunna
    kind: jihadist_group
    side: jihadists
    country: MZ
    aliases: [Islamic State Mozambique Province]
    roles: [insurgents]
  - {id: hts, name: Hayat Tahrir al-Sham (user), kind: jihadist_group, side: jihadists, country: SY,
     abbreviations: [HTS]}
persons:
  - {name: Bonomade Machude Omar, actor: ansar-al-sunna, title: commander}
"""


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = write(tmp_path, "mine.yaml", USER_FILE)
    cat = load_catalogue([user])
    added = cat.get("ansar-al-sunna")
    assert added is not None and added.conflicts == ("mozambique",) and added.source == str(user)
    assert [a.id for a in cat.lookup("Islamic State Mozambique Province")] == ["ansar-al-sunna"]
    assert [a.id for a in cat.lookup("Bonomade Machude Omar")] == ["ansar-al-sunna"]
    overridden = cat.get("hts")
    assert overridden is not None and overridden.name == "Hayat Tahrir al-Sham (user)"
    assert overridden.side == "jihadists"
    assert cat.versions[str(user)] == "3"
    mz = cat.country_actor("MZ", "forces")
    assert mz is not None and mz.id == "mz-forces"
    # The built-in catalogue the rest of the process uses is untouched.
    builtin = load_catalogue().get("hts")
    assert builtin is not None and builtin.name == "Hayat Tahrir al-Sham"


def test_user_directory_is_read(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\nactors:\n  - {id: group-a, name: Group A, kind: rebel_group}\n")
    write(tmp_path, "b.yml", "version: 1\nactors:\n  - {id: group-b, name: Group B, kind: gang}\n")
    cat = load_catalogue([tmp_path])
    assert cat.get("group-a") is not None and cat.get("group-b") is not None


def test_edited_user_file_is_read_again(tmp_path: Path) -> None:
    path = write(
        tmp_path, "u.yaml", "version: 1\nactors:\n  - {id: g, name: First Name, kind: rebel_group}\n"
    )
    first = load_catalogue([path]).get("g")
    assert first is not None and first.name == "First Name"
    write(
        tmp_path, "u.yaml", "version: 2\nactors:\n  - {id: g, name: Second Name Longer, kind: rebel_group}\n"
    )
    second = load_catalogue([path]).get("g")
    assert second is not None and second.name == "Second Name Longer"


@pytest.mark.parametrize(
    ("text", "message", "line", "field"),
    [
        ("version: 1\nactors: [\n", "not valid YAML", None, None),
        ("- just\n- a list\n", "must be a mapping", None, None),
        ("actors:\n  - {id: x, name: X, kind: gang}\n", "version", None, "version"),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang, colour: red}\n",
            "unknown keys ['colour']",
            3,
            None,
        ),
        ("version: 1\nactors:\n  - {id: x, name: X, kind: warlords}\n", "'kind' must be one of", 3, "kind"),
        (
            "version: 1\nactors:\n  - {id: Bad Id, name: X, kind: gang}\n",
            "'id' must be a lower-case slug",
            3,
            "id",
        ),
        ("version: 1\nactors:\n  - {id: x, kind: gang}\n", "'name' is required", 3, "name"),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang, country: Syria}\n",
            "ISO 3166-1",
            3,
            "country",
        ),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang, aliases: [ok, 3]}\n",
            "list of non-empty",
            3,
            "aliases",
        ),
        ("version: 1\nactors:\n  - {id: x, name: X, kind: gang, until: soon}\n", "YYYY-MM-DD", 3, "until"),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang}\n  - {id: x, name: Y, kind: gang}\n",
            "duplicate actor id 'x'",
            4,
            "id",
        ),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang, parent: nowhere}\n",
            "parent 'nowhere'",
            3,
            "parent",
        ),
        (
            "version: 1\nactors:\n  - {id: x, name: X, kind: gang, roles: [pirates]}\n",
            "roles ['pirates']",
            3,
            "roles",
        ),
        ("version: 1\npersons:\n  - {name: Someone, actor: nobody}\n", "actor 'nobody'", 3, "actor"),
        ("version: 1\nactors: {id: x}\n", "'actors' must be a list", None, "actors"),
        ("version: 1\n", "no actors", None, None),
    ],
)
def test_malformed_user_files(
    tmp_path: Path, text: str, message: str, line: int | None, field: str | None
) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path])
    err = info.value
    assert message in str(err)
    assert err.source == str(path)
    assert str(path) in str(err)
    if line is not None:
        assert err.line == line
    if field is not None:
        assert err.field == field


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue([tmp_path / "absent.yaml"])


def test_duplicate_ids_across_user_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "version: 1\nactors:\n  - {id: x, name: X, kind: gang}\n")
    b = write(tmp_path, "b.yaml", "version: 1\nactors:\n  - {id: x, name: Y, kind: gang}\n")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([a, b])
    assert info.value.source == str(b) and str(a) in str(info.value)


def test_dated_entries(catalogue: ActorCatalogue) -> None:
    before = catalogue.country_actor("SY", "forces", dt.date(2024, 12, 6))
    after = catalogue.country_actor("SY", "forces", dt.date(2025, 3, 1))
    assert before is not None and before.id == "syria-forces-assad"
    assert after is not None and after.id == "syria-forces-transitional"


def test_user_files_from_settings_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from frontline.settings import Settings

    text = "version: 1\nactors:\n  - {id: env-group, name: Env Group, kind: gang}\n"
    path = write(tmp_path, "env.yaml", text)
    monkeypatch.setenv("FRONTLINE_CATALOGUES", f'["{path}"]')
    settings = Settings()
    assert settings.catalogues == [path]
    assert load_catalogue(settings.catalogues).get("env-group") is not None
