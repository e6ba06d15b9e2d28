"""Reading a change against the rest of its report: abbreviations the report defines, a list's own dates,
a fall told after its sibling, the side said to have held a place since, one side a day, and actors that
changed name. Each is a behaviour the benchmark's train and dev splits showed wrong; the sentences here
are written for the tests."""

from __future__ import annotations

import datetime as dt

import frontline
from frontline.article import Article


def extract(text: str, published: str) -> frontline.Analysis:
    return frontline.extract(text, published=published)


def changes(a: frontline.Analysis) -> dict[str, tuple[str | None, str | None]]:
    return {
        c.place.name: (c.to.name if c.to else None, c.date.isoformat() if c.date else None)
        for c in a.control_changes
    }


def test_an_abbreviation_the_report_defines_names_that_actor(pipeline) -> None:
    text = "The Arakan Army (AA) attacked army posts across Rakhine State. The AA took Buthidaung on 18 May."
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2024, 6, 1)))
    named = [(m.text, m.actor.name if m.actor else None) for m in state.actors]
    assert named.count(("AA", "Arakan Army")) == 1  # the later use, not the bracketed definition
    assert changes(extract(text, published="2024-06-01")).get("Buthidaung") == ("Arakan Army", "2024-05-18")


def test_an_undefined_abbreviation_stays_unknown(pipeline) -> None:
    text = "The AA said it held talks on Monday."
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2024, 6, 1)))
    assert not any(m.actor is not None and m.text == "AA" for m in state.actors)


def test_last_year_after_a_day_is_one_date_and_a_coordinated_fall_goes_to_the_same_side() -> None:
    got = changes(
        extract(
            "Gao fell on 31 March last year to Tuareg separatists, and Timbuktu fell the next day.",
            published="2013-01-28",
        )
    )
    assert got["Gao"][1] == "2012-03-31" and got["Timbuktu"][1] == "2012-04-01"
    assert got["Gao"][0] is not None and got["Timbuktu"][0] == got["Gao"][0]


def test_actors_that_merged_later_keep_their_old_name_before() -> None:
    old = extract("Tuareg separatists of the MNLA seized Kidal on 30 March 2012.", published="2012-04-02")
    assert changes(old)["Kidal"][0] == "National Movement for the Liberation of Azawad"
    new = extract("FLA fighters seized Kidal on Sunday.", published="2025-07-28")
    assert changes(new)["Kidal"][0] == "Azawad Liberation Front"


def test_each_place_of_a_list_takes_the_date_after_it() -> None:
    a = extract(
        "Since then the Arakan Army has taken Buthidaung on 18 May and Thandwe with its airport in July.",
        published="2024-12-21",
    )
    got = changes(a)
    assert got["Buthidaung"][1] == "2024-05-18"
    assert got["Thandwe"][1] == "2024-07-15"


def test_a_month_in_brackets_is_a_date(pipeline) -> None:
    text = "The rebels took Paletwa (January) after a long siege."
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2024, 12, 21)))
    assert [(d.text, d.date) for d in state.dates] == [("January", dt.date(2024, 1, 15))]


def test_the_date_before_the_verb_is_the_first_places() -> None:
    a = extract(
        "On 26 November government troops captured Manbij, and by 28 November the towns of Azaz and "
        "Jarabulus.",
        published="2016-12-30",
    )
    assert changes(a)["Manbij"][1] == "2016-11-26"


def test_a_fall_nobody_took_goes_to_the_side_that_held_the_place_since() -> None:
    a = extract(
        "In 2020 Azerbaijani forces recaptured the district of Fuzuli, which Armenian forces had held since "
        "1993. Fuzuli fell on 23 August 1993 after weeks of shelling.",
        published="2022-03-01",
    )
    fall = [c for c in a.control_changes if c.place.name == "Fuzuli" and c.date and c.date.year == 1993]
    assert fall and fall[0].to is not None and "Azerbaijan" not in fall[0].to.name
    assert "Armenian" in fall[0].to.name


def test_one_place_passes_to_one_side_on_a_stated_day() -> None:
    a = extract(
        "Prosecutors cite the capture of Khojaly on 26 February 1992, when Armenian forces took the town "
        "near Stepanakert. Azerbaijani forces fought the Armenian forces for months.",
        published="2025-01-18",
    )
    sides = {c.to.name for c in a.control_changes if c.place.name == "Khojaly" and c.to}
    assert len(sides) == 1 and "Armenian" in next(iter(sides))


def test_several_places_described_together_are_not_one_named_place() -> None:
    a = extract(
        "The Taliban seized Kunduz on Sunday, bringing to five the number of provinces whose capitals have "
        "fallen since Friday.",
        published="2021-08-08",
    )
    kunduz = [c for c in a.control_changes if c.place.name == "Kunduz"]
    assert [c.date.isoformat() for c in kunduz if c.date] == ["2021-08-08"]


def test_a_dateline_is_never_what_the_town_refers_to(pipeline) -> None:
    text = (
        "LASHIO, Myanmar, Oct 30 — Rebels said they now controlled Chinshwehaw, a busy trading town on the "
        "Chinese border. They said the town fell after a day of fighting."
    )
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2023, 10, 30)))
    towns = [p for p in state.places if p.anaphor and p.text.lower() == "the town"]
    assert all(p.place is None or p.place.name != "Lashio" for p in towns)


def test_a_name_its_words_call_a_place_is_kept_though_the_gazetteer_lacks_it(pipeline) -> None:
    for text, name in (
        ("Fighters entered Mongko, where the army had a base.", "Mongko"),
        ("Rebels now control Chinshwehaw, a busy trading town on the border.", "Chinshwehaw"),
    ):
        state = pipeline.run(Article(text=text, id="t", published=dt.date(2023, 10, 30)))
        assert name in [p.text for p in state.places]
    question = pipeline.run(
        Article(text="Thomas, where are you going?", id="t", published=dt.date(2023, 1, 1))
    )
    assert question.places == []


def test_a_place_is_named_as_the_story_spells_it_not_as_its_dateline() -> None:
    a = extract(
        "LASHIO, Myanmar, Oct 30 — Army artillery fired on villages. In Lashio, residents said shells hit "
        "the market on Sunday, killing two people.",
        published="2023-10-30",
    )
    names = {e.location.name for e in a.events if e.location is not None}
    assert "LASHIO" not in names and "Lashio" in names


def test_a_weekday_before_a_full_date_is_that_dates(pipeline) -> None:
    text = "The attack began on the evening of Friday 15 January 2016."
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2026, 1, 12)))
    assert [d.date for d in state.dates] == [dt.date(2016, 1, 15)]


def test_coming_under_fire_is_not_coming_under_control() -> None:
    shelled = extract("Stepanakert came under heavy shelling for a second day.", published="2020-10-04")
    assert shelled.control_changes == []
    taken = extract("Kherson came under Russian control on 2 March.", published="2022-03-04")
    assert changes(taken).get("Kherson") == ("Russian armed forces", "2022-03-02")


def test_the_unit_a_town_is_capital_of_did_not_fall_with_it() -> None:
    a = extract(
        "The Taliban advanced across the north this week.\n"
        "10 August – Farah and Pul-e Khumri, capital of Baghlan, fall.\n"
        "11 August – Faizabad, capital of Badakhshan, is taken by the Taliban.",
        published="2021-08-20",
    )
    places = set(changes(a))
    assert {"Farah", "Pul-e Khumri", "Faizabad"} <= places
    assert not places & {"Baghlan", "Badakhshan"}


def test_second_objects_the_parse_hangs_on_the_verb_are_taken_too_on_their_own_day() -> None:
    got = changes(
        extract(
            "Before that the SDF liberated Hajin in December, and Susah and Baghuz in January.",
            published="2019-03-20",
        )
    )
    assert got["Hajin"][1] == "2018-12-15"
    assert got.get("Susah") == ("Syrian Democratic Forces", "2019-01-15")


def test_each_place_of_a_list_is_an_event_on_its_own_day() -> None:
    a = extract(
        "Its troops took Kidal, the rebels' historic capital, on 14 November 2023, and Aguelhok in December.",
        published="2024-08-01",
    )
    days = {e.location.name: e.date.isoformat() for e in a.events if e.location and e.date and e.event_type}
    assert days.get("Kidal") == "2023-11-14"
    assert days.get("Aguelhok") == "2023-12-15"


def test_a_part_of_a_month_is_that_month_not_this_week(pipeline) -> None:
    text = "Troops left in the last week of June. They took the district in the first days of September."
    state = pipeline.run(Article(text=text, id="t", published=dt.date(2021, 12, 12)))
    assert [d.date for d in state.dates] == [dt.date(2021, 6, 28), dt.date(2021, 9, 2)]
