"""The actors stage on the Hama report and on short sentences from each conflict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from frontline.actors import CatalogueActor, load_catalogue
from frontline.errors import ConfigError
from frontline.pipeline.actors import ActorStage
from frontline.pipeline.base import State, check_order

from .conftest import HAMA_TEXT, FakeGazetteer, find

Analyse = Callable[..., State]


@pytest.fixture(scope="module")
def hama(analyse: Analyse) -> State:
    return analyse(HAMA_TEXT.read_text(encoding="utf-8"), dt.date(2024, 12, 6))


def test_mentions_are_ordered_spans_of_the_text(hama: State) -> None:
    last_end = 0
    for m in hama.actors:
        assert hama.text[m.start : m.end] == m.text
        assert m.start >= last_end, "mentions must not overlap"
        last_end = m.end
        assert hama.sentences[m.sent].start <= m.start < hama.sentences[m.sent].end
        assert 0 < m.confidence <= 1


def test_hama_country_context(hama: State) -> None:
    assert hama.countries[0] == "SY"
    assert {"RU", "IR", "UA"} <= set(hama.countries)


def test_hama_rebels_are_hts(hama: State) -> None:
    for text in ("Syrian rebels", "the rebels", "rebel forces", "Fighters", "fighters"):
        m = find(hama, text)
        assert m.how == "generic" and m.actor is not None and m.actor.id == "hts", text
    named = find(hama, "Hayat Tahrir al-Sham")
    assert named.how == "named" and named.to_actor().side == "rebels"
    assert find(hama, "HTS").actor == named.actor
    assert find(hama, "HTS forces").actor == named.actor


def test_hama_the_group_is_hts(hama: State) -> None:
    m = find(hama, "The group")
    assert m.how == "coref" and m.actor is not None and m.actor.id == "hts"
    actor = m.to_actor()
    assert actor.text == "The group" and actor.name == "Hayat Tahrir al-Sham" and actor.country_code == "SY"


@pytest.mark.parametrize(
    "text",
    [
        "Bashar al-Assad’s regime",
        "Assad’s forces",
        "The Assad regime’s forces",
        "government forces",
        "troops",
        "the regime",
    ],
)
def test_hama_regime_is_syrian_government_forces(hama: State, text: str) -> None:
    m = find(hama, text)
    assert m.actor is not None and m.actor.id == "syria-forces-assad", text
    assert m.to_actor().side == "government"


def test_hama_defense_ministry_is_the_government(hama: State) -> None:
    m = find(hama, "Syrian Defense Ministry")
    assert m.how == "named" and m.actor is not None and m.actor.id == "syria-government-assad"


def test_hama_persons(hama: State) -> None:
    jolani = find(hama, "HTS leader Abu Mohammad al-Jolani")
    assert (jolani.how, jolani.person, jolani.title) == ("person", "Abu Mohammad al-Jolani", "leader")
    assert jolani.actor is not None and jolani.actor.id == "hts"
    assert jolani.to_actor().name == "Abu Mohammad al-Jolani"
    hafez = find(hama, "Hafez al-Assad")
    assert hafez.person == "Hafez al-Assad" and hafez.actor is not None
    assert hafez.actor.id == "syria-government-assad"
    spokesperson = find(hama, "HTS spokesperson")
    assert spokesperson.title == "spokesperson" and spokesperson.actor is not None
    assert spokesperson.actor.id == "hts"
    ramani = find(hama, "Samuel Ramani")
    assert ramani.how == "person" and ramani.person == "Samuel Ramani" and ramani.actor is None
    assert find(hama, "Ramani").person == "Samuel Ramani"
    assert find(hama, "Royal United Services Institute").actor is not None


def test_hama_civilians_are_generic(hama: State) -> None:
    m = find(hama, "civilians")
    assert m.how == "generic" and m.actor is not None and m.actor.name == "Civilians"
    assert m.to_actor().side == "civilians"


def test_hama_modifiers_are_not_mentions(hama: State) -> None:
    texts = {m.text.lower() for m in hama.actors}
    assert "regime" not in texts  # "regime-controlled territory"
    assert "russian" not in texts and "moscow" not in texts


# (sentence, mention text, catalogue id, how, side)
CASES = [
    ("RSF fighters attacked El Fasher.", "RSF fighters", "rsf", "named", None),
    ("M23 rebels seized Goma on Monday.", "M23 rebels", "m23", "named", "rebels"),
    ("The Tatmadaw bombed a village in Sagaing.", "Tatmadaw", "tatmadaw", "named", "government"),
    ("JNIM militants ambushed soldiers near Djibo.", "JNIM militants", "jnim", "named", "jihadists"),
    (
        "JNIM militants ambushed soldiers near Djibo, killing 20 Burkinabe troops.",
        "soldiers",
        "burkina-forces",
        "generic",
        "government",
    ),
    ("Houthi forces fired missiles at a ship in the Red Sea.", "Houthi forces", "houthis", "named", "rebels"),
    ("Al-Shabaab claimed the attack on a military base.", "Al-Shabaab", "al-shabaab", "named", "jihadists"),
    ("Russian troops captured Avdiivka.", "Russian troops", "russia-forces", "named", "government"),
    ("Israeli forces struck Khan Younis.", "Israeli forces", "idf", "named", "government"),
    ("Hezbollah fired rockets at northern Israel.", "Hezbollah", "hezbollah", "named", "militia"),
    (
        "Wagner Group mercenaries were seen in Bamako.",
        "Wagner Group mercenaries",
        "wagner",
        "named",
        "foreign forces",
    ),
    ("The Sudanese army said its troops repelled the attack.", "Sudanese army", "saf", "named", "government"),
    (
        "Fano militiamen clashed with the Ethiopian army near Gondar.",
        "Ethiopian army",
        "endf",
        "named",
        "government",
    ),
    (
        "Viv Ansanm gang members attacked Mirebalais.",
        "Viv Ansanm gang members",
        "viv-ansanm",
        "named",
        "gangs",
    ),
    ("Haitian police fought back.", "Haitian police", "pnh", "named", "government"),
    ("The Arakan Army captured Paletwa.", "Arakan Army", "arakan-army", "named", "rebels"),
    ("Russia launched 120 drones at Kyiv overnight.", "Russia", "russia-forces", "named", "government"),
    ("Hemedti's forces shelled Omdurman.", "Hemedti's forces", "rsf", "named", None),
    (
        "Russian missiles struck Kharkiv overnight.",
        "Russian missiles",
        "russia-forces",
        "named",
        "government",
    ),
    (
        "An Israeli airstrike on a house in Rafah killed five people.",
        "Israeli airstrike",
        "idf",
        "named",
        None,
    ),
    ("Houthi drones hit a tanker in the Red Sea.", "Houthi drones", "houthis", "named", "rebels"),
    (
        "Al-Shabab fighters attacked a base. The jihadists killed 12 soldiers.",
        "The jihadists",
        "al-shabaab",
        "coref",
        "jihadists",
    ),
    (
        "The Arakan Army captured Paletwa. Its fighters then moved south.",
        "Its fighters",
        "arakan-army",
        "coref",
        None,
    ),
    (
        "RSF fighters attacked El Fasher. The paramilitary group said it had taken the city.",
        "The paramilitary group",
        "rsf",
        "coref",
        None,
    ),
    ("Gunmen killed five villagers in Ituri.", "Gunmen", "unidentified-armed-group", "generic", None),
    (
        "Police arrested three protesters in Kinshasa, the Congolese government said.",
        "Police",
        "drc-police",
        "generic",
        "government",
    ),
    (
        "Police arrested three protesters in Kinshasa, the Congolese government said.",
        "protesters",
        "protesters",
        "generic",
        "protesters",
    ),
]


@pytest.mark.parametrize(("sentence", "text", "actor_id", "how", "side"), CASES)
def test_conflict_sentences(
    analyse: Analyse, sentence: str, text: str, actor_id: str, how: str, side: str | None
) -> None:
    state = analyse(sentence)
    m = find(state, text)
    assert m.actor is not None and m.actor.id == actor_id
    assert m.how == how
    if side is not None:
        assert m.to_actor().side == side


def test_persons_with_titles(analyse: Analyse) -> None:
    state = analyse(
        "Sudan's army chief Abdel Fattah al-Burhan vowed to defeat the RSF. "
        "Ukrainian President Volodymyr Zelensky spoke to Prime Minister Abiy Ahmed."
    )
    burhan = find(state, "Sudan's army chief Abdel Fattah al-Burhan")
    assert burhan.person == "Abdel Fattah al-Burhan" and burhan.actor is not None and burhan.actor.id == "saf"
    zelensky = find(state, "Ukrainian President Volodymyr Zelensky")
    assert zelensky.title == "President" and zelensky.actor is not None
    assert zelensky.actor.id == "ukraine-government"
    abiy = find(state, "Prime Minister Abiy Ahmed")
    assert abiy.title == "Prime Minister" and abiy.actor is not None and abiy.actor.country_code == "ET"


def test_unknown_person_takes_affiliation_from_title(analyse: Analyse) -> None:
    state = analyse("RSF commander Ali Rizigallah Savana was killed in the clashes.")
    m = find(state, "RSF commander Ali Rizigallah Savana")
    assert m.how == "person" and m.actor is not None and m.actor.id == "rsf" and m.title == "commander"


def test_places_spacy_calls_persons_are_not_persons(analyse: Analyse) -> None:
    state = analyse("M23 rebels seized Goma on Monday. Israeli forces struck Khan Younis.")
    assert all(m.how != "person" for m in state.actors)


def test_demonym_restricts_generic_roles(analyse: Analyse) -> None:
    state = analyse("Syrian rebels clashed with Kurdish-led forces. Sudanese civilians fled.")
    civilians = find(state, "Sudanese civilians")
    assert civilians.how == "generic" and civilians.actor is not None
    assert civilians.actor.name == "Civilians" and civilians.actor.country_code == "SD"
    rebels = find(state, "Syrian rebels")
    assert rebels.actor is not None and rebels.actor.country_code == "SY"


def test_ambiguous_abbreviation_follows_the_article_country(analyse: Analyse) -> None:
    somalia = analyse("The SNA and its allies retook the town from al-Shabaab in central Somalia.")
    syria = analyse("The SNA, backed by Turkey, attacked Kurdish positions near Manbij in northern Syria.")
    assert find(somalia, "SNA").actor.id == "somalia-forces"  # type: ignore[union-attr]
    assert find(syria, "SNA").actor.id == "sna"  # type: ignore[union-attr]


def test_date_picks_the_actor_of_the_period(analyse: Analyse) -> None:
    text = "Syrian government forces clashed with gunmen near Latakia."
    old = analyse(text, dt.date(2023, 5, 1))
    new = analyse(text, dt.date(2025, 3, 7))
    assert find(old, "Syrian government forces").actor.id == "syria-forces-assad"  # type: ignore[union-attr]
    assert find(new, "Syrian government forces").actor.id == "syria-forces-transitional"  # type: ignore[union-attr]


def test_the_group_without_antecedent_is_unresolved(analyse: Analyse) -> None:
    state = analyse("The group said it would continue its campaign.")
    m = find(state, "The group")
    assert m.how == "unresolved" and m.actor is None


def test_apposition_is_not_a_reference(analyse: Analyse) -> None:
    state = analyse("The Islamist group Hayat Tahrir al-Sham took Aleppo.")
    assert [m.text for m in state.actors] == ["Hayat Tahrir al-Sham"]


def test_user_catalogue_in_the_stage(nlp, tmp_path: Path, analyse: Analyse) -> None:
    path = tmp_path / "mz.yaml"
    path.write_text(
        "version: 1\nconflict: mozambique\n"
        "countries:\n  - {code: MZ, names: [Mozambique], demonyms: [Mozambican], forces: [mz-forces]}\n"
        "actors:\n"
        "  - {id: mz-forces, name: Mozambican armed forces, kind: state_forces, side: government,\n"
        "     country: MZ}\n"
        "  - {id: ansar-al-sunna, name: Ansar al-Sunna, kind: jihadist_group, side: jihadists, country: MZ,\n"
        "     aliases: [Islamic State Mozambique Province], roles: [insurgents]}\n",
        encoding="utf-8",
    )
    stage = ActorStage(load_catalogue([path]), FakeGazetteer())
    from frontline.article import Article
    from frontline.pipeline.base import Sentence

    text = "Ansar al-Sunna fighters raided Mocimboa da Praia. Mozambican troops pursued the insurgents."
    doc = nlp(text)
    state = State(
        article=Article(text=text),
        text=text,
        doc=doc,
        sentences=[Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)],
    )
    stage(state)
    assert find(state, "Ansar al-Sunna fighters").actor.id == "ansar-al-sunna"  # type: ignore[union-attr]
    assert find(state, "Mozambican troops").actor.id == "mz-forces"  # type: ignore[union-attr]
    assert find(state, "the insurgents").actor.id == "ansar-al-sunna"  # type: ignore[union-attr]
    assert state.countries[0] == "MZ"


def test_stage_declares_its_fields(catalogue) -> None:
    stage = ActorStage(catalogue, FakeGazetteer())
    assert (stage.name, stage.requires, stage.sets) == (
        "actors",
        ("doc", "sentences"),
        ("actors", "countries"),
    )
    with pytest.raises(ConfigError):
        check_order([stage])  # type: ignore[list-item]


class OtherBackend:
    """A catalogue that offers only the protocol: the stage builds its index from it."""

    ACTOR = CatalogueActor(
        id="x-front", name="X Front", side="rebels", country_code="ML", kind="rebel_group", roles=("rebels",)
    )

    def lookup(self, text: str) -> list[CatalogueActor]:
        return [self.ACTOR] if text in ("X Front", "XF") else []

    def get(self, actor_id: str) -> CatalogueActor | None:
        return self.ACTOR if actor_id == "x-front" else None

    def ruler_patterns(self):
        return [("X Front", "ORG"), ("XF", "ORG")]


def test_stage_accepts_any_catalogue_backend(nlp) -> None:
    from frontline.article import Article
    from frontline.pipeline.base import Sentence

    stage = ActorStage(OtherBackend(), FakeGazetteer())
    text = "XF fighters attacked a convoy. The rebels then withdrew."
    doc = nlp(text)
    state = State(
        article=Article(text=text),
        text=text,
        doc=doc,
        sentences=[Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.sents)],
    )
    stage(state)
    assert find(state, "XF fighters").actor.id == "x-front"  # type: ignore[union-attr]
    assert find(state, "The rebels").actor.id == "x-front"  # type: ignore[union-attr]


def test_empty_text(analyse: Analyse) -> None:
    state = analyse("")
    assert state.actors == [] and state.countries == []


def test_hyphenated_modifiers(analyse: Analyse) -> None:
    led = analyse("HTS-led rebels entered Aleppo on Friday.")
    assert find(led, "HTS-led rebels").actor.id == "hts"  # type: ignore[union-attr]
    backed = analyse("Turkish-backed fighters shelled the town. Regime-held areas were calm.")
    texts = [m.text for m in backed.actors]
    assert "Turkish" not in texts and all(m.actor is None or m.actor.id != "tr-forces" for m in backed.actors)
    assert not any(m.text.lower().startswith("regime") for m in backed.actors)


def test_datelines_are_not_actors(analyse: Analyse) -> None:
    state = analyse("KHARTOUM, Sudan (AP) — The Rapid Support Forces said Sunday they had seized the base.")
    assert [m.text for m in state.actors] == ["Rapid Support Forces"]


def test_appositions_do_not_glue(analyse: Analyse) -> None:
    state = analyse("Gen. Abdel Fattah Burhan, the army chief, vowed revenge.")
    burhan = find(state, "Gen. Abdel Fattah Burhan")
    assert burhan.person == "Abdel Fattah al-Burhan" and burhan.title == "Gen"


def test_longer_names_around_known_ones_are_other_people(analyse: Analyse) -> None:
    state = analyse("Asma al-Assad was not seen. Iranian Foreign Minister Abbas Araghchi met Lavrov.")
    asma = find(state, "Asma al-Assad")
    assert asma.person == "Asma al-Assad" and asma.actor is None
    assert all(m.person != "Mahmoud Abbas" for m in state.actors)
    assert find(state, "Lavrov").person == "Sergei Lavrov"


def test_country_subject_and_its_forces(analyse: Analyse) -> None:
    state = analyse("Russia said its forces would stay in the region.")
    assert find(state, "Russia").actor.id == "russia-government"  # type: ignore[union-attr]
    assert find(state, "its forces").actor.id == "russia-forces"  # type: ignore[union-attr]


def test_country_person_without_a_name(analyse: Analyse) -> None:
    state = analyse("A Ukrainian commander told Reuters that the line held.")
    m = find(state, "Ukrainian commander")
    assert m.how == "person" and m.title == "commander" and m.actor.id == "ukraine-forces"  # type: ignore[union-attr]


def test_descriptions_need_their_country(analyse: Analyse) -> None:
    gaza = analyse(
        "Israeli settlers attacked a village near Ramallah in the West Bank. The settlers burned cars."
    )
    assert find(gaza, "settlers").actor.id == "israeli-settlers"  # type: ignore[union-attr]
    elsewhere = analyse("In Sudan, settlers from the north farmed the land near Kassala for decades.")
    assert all(m.actor is None or m.actor.id != "israeli-settlers" for m in elsewhere.actors)


def test_weapons_of_a_country_without_armed_forces_say_nothing(analyse: Analyse) -> None:
    state = analyse("Palestinian rockets were fired from Gaza overnight.")
    assert all(m.actor is None or m.actor.kind != "government" for m in state.actors)


def test_names_that_contain_roles_or_countries(analyse: Analyse) -> None:
    state = analyse("The Salvation Army handed out food. Jordan Peterson lectured in Amman.")
    assert all(m.how != "generic" for m in state.actors)
    assert find(state, "Jordan Peterson").how == "person"


def test_coordinated_country_subjects(analyse: Analyse) -> None:
    state = analyse("Hamas and Israel agreed to a ceasefire on Wednesday, mediators said.")
    assert find(state, "Israel").actor.id == "israel-government"  # type: ignore[union-attr]
    assert find(state, "Hamas").actor.id == "hamas"  # type: ignore[union-attr]
