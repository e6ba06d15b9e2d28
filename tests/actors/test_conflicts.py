"""The conflict files added to the catalogue: surface forms from each conflict resolve to the right actor and
side, dated entries follow the article's date, and ids stay unique across the built-in files."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

from frontline.actors import ActorCatalogue
from frontline.actors.catalogue import DATA_DIR, builtin_files, read_catalogue_file
from frontline.pipeline.base import State

from .conftest import find

# Conflict files and the fewest named actors each must hold.
CONFLICTS = {
    "afghanistan": 15,
    "iraq": 20,
    "libya": 25,
    "south-sudan": 12,
    "mozambique": 6,
    "philippines": 10,
    "mexico": 20,
    "colombia": 12,
    "nagorno-karabakh": 8,
    "georgia": 6,
    "nigeria": 10,
    "central-african-republic": 15,
    "cameroon": 8,
    "pakistan": 10,
    "kashmir": 8,
}
SIDES = {
    "government",
    "foreign forces",
    "rebels",
    "jihadists",
    "militants",
    "militia",
    "separatists",
    "gangs",
    "protesters",
    "rioters",
    "civilians",
    "international",
    None,
}


@pytest.mark.parametrize(("conflict", "least"), sorted(CONFLICTS.items()))
def test_conflict_file_holds_its_actors(catalogue: ActorCatalogue, conflict: str, least: int) -> None:
    assert (DATA_DIR / f"{conflict}.yaml").is_file()
    named = [a for a in catalogue.actors.values() if a.conflicts[:1] == (conflict,)]
    assert len(named) >= least, (conflict, len(named))
    assert all(a.side in SIDES for a in named), [(a.id, a.side) for a in named if a.side not in SIDES]


def test_ids_are_unique_across_builtin_files() -> None:
    files = [read_catalogue_file(p) for p in builtin_files()]
    actor_ids = Counter(a.id for f in files for a, _ in f.actors)
    person_ids = Counter(p.id for f in files for p, _ in f.persons)
    assert [i for i, n in actor_ids.items() if n > 1] == []
    assert [i for i, n in person_ids.items() if n > 1] == []
    # A country's block may be split over files, but each file lists a country once.
    for f in files:
        codes = Counter(c.code for c, _ in f.countries)
        assert [c for c, n in codes.items() if n > 1] == [], f.path


@pytest.mark.parametrize(
    ("text", "expected", "side"),
    [
        # Afghanistan
        ("ANDSF", "af-forces", "government"),
        ("Afghan National Army", "af-forces", "government"),
        ("Haqqani network", "haqqani-network", "rebels"),
        ("ISIS-K", "iskp", "jihadists"),
        ("Islamic State Khorasan Province", "iskp", "jihadists"),
        ("National Resistance Front", "nrf", "rebels"),
        ("Ahmad Massoud", "nrf", "rebels"),
        ("Dostum", "junbish", "militia"),
        ("Resolute Support", "resolute-support", "foreign forces"),
        # Iraq
        ("Counter-Terrorism Service", "iraq-cts", "government"),
        ("Golden Division", "iraq-cts", "government"),
        ("Federal Police", "iraq-federal-police", "government"),
        ("Hashd al-Shaabi", "pmf", "militia"),
        ("Popular Mobilisation Forces", "pmf", "militia"),
        ("Kataib Hezbollah", "kataib-hezbollah", "militia"),
        ("Asa'ib Ahl al-Haq", "asaib-ahl-al-haq", "militia"),
        ("Badr Organization", "badr-organisation", "militia"),
        ("Peshmerga", "peshmerga", "government"),
        ("KRG", "krg", "government"),
        ("Sinjar Resistance Units", "ybs", "militia"),
        ("YBŞ", "ybs", "militia"),
        ("PKK", "pkk", "rebels"),
        ("Daesh", "islamic-state-syria", "jihadists"),
        ("Muqtada al-Sadr", "saraya-al-salam", "militia"),
        ("US-led coalition", "cjtf-oir", "foreign forces"),
        # Libya
        ("Haftar", "ly-forces", "government"),
        ("LNA", "ly-forces", "government"),
        ("Libyan Arab Armed Forces", "ly-forces", "government"),
        ("Government of National Accord", "gna", "government"),
        ("GNA forces", "gna-forces", "government"),
        ("Misrata brigades", "misrata-brigades", "militia"),
        ("al-Qaqa Brigade", "zintan-brigades", "militia"),
        ("Ansar al-Sharia", "ansar-al-sharia-libya", "jihadists"),
        ("Islamic State in Libya", "islamic-state-libya", "jihadists"),
        ("Benghazi Revolutionaries' Shura Council", "brsc", "jihadists"),
        ("Derna Mujahideen Shura Council", "dmsc", "jihadists"),
        ("Gaddafi loyalists", "gaddafi-forces", "government"),
        ("National Transitional Council", "ntc", "government"),
        ("Dbeibah", "ly-government", "government"),
        ("Special Deterrence Force", "rada", "militia"),
        # South Sudan
        ("SPLA-IO", "splm-io", "rebels"),
        ("SPLM/A-IO", "splm-io", "rebels"),
        ("SSPDF", "ss-forces", "government"),
        ("White Army", "white-army", "militia"),
        ("National Salvation Front", "nas", "rebels"),
        ("UPDF", "ug-forces", "foreign forces"),
        ("Riek Machar", "splm-io", "rebels"),
        ("Salva Kiir", "ss-government", "government"),
        # Mozambique
        ("FADM", "fadm", "government"),
        ("Rwanda Defence Force", "rwanda-forces", "foreign forces"),
        ("SAMIM", "samim", "foreign forces"),
        ("Ansar al-Sunna", "ansar-al-sunna", "jihadists"),
        ("Islamic State Mozambique Province", "ansar-al-sunna", "jihadists"),
        ("Dyck Advisory Group", "dyck-advisory-group", "foreign forces"),
        # The Philippines
        ("Armed Forces of the Philippines", "afp", "government"),
        ("PNP", "pnp", "government"),
        ("Maute group", "maute-group", "jihadists"),
        ("Abu Sayyaf", "abu-sayyaf", "jihadists"),
        ("BIFF", "biff", "jihadists"),
        ("MILF", "milf", "rebels"),
        ("MNLF", "mnlf", "rebels"),
        ("New People's Army", "npa", "rebels"),
        ("Isnilon Hapilon", "isis-east-asia", "jihadists"),
        # Mexico
        ("Sinaloa Cartel", "sinaloa-cartel", "gangs"),
        ("Los Chapitos", "chapitos", "gangs"),
        ("La Mayiza", "mayiza", "gangs"),
        ("CJNG", "cjng", "gangs"),
        ("Cártel de Jalisco Nueva Generación", "cjng", "gangs"),
        ("El Mencho", "cjng", "gangs"),
        ("Gulf Cartel", "gulf-cartel", "gangs"),
        ("Los Zetas", "zetas", "gangs"),
        ("Cartel del Noreste", "cdn", "gangs"),
        ("La Familia Michoacana", "familia-michoacana", "gangs"),
        ("Caballeros Templarios", "caballeros-templarios", "gangs"),
        ("Guerreros Unidos", "guerreros-unidos", "gangs"),
        ("Carteles Unidos", "carteles-unidos", "gangs"),
        ("autodefensas", "autodefensas", "militia"),
        ("SEDENA", "mexico-army", "government"),
        ("SEMAR", "mexico-navy", "government"),
        ("Mexican National Guard", "mexico-national-guard", "government"),
        # Colombia
        ("FARC", "farc", "rebels"),
        ("Estado Mayor Central", "emc", "rebels"),
        ("FARC dissidents", "emc", "rebels"),
        ("Segunda Marquetalia", "segunda-marquetalia", "rebels"),
        ("ELN", "eln", "rebels"),
        ("Clan del Golfo", "clan-del-golfo", "gangs"),
        ("Gulf Clan", "clan-del-golfo", "gangs"),
        ("AGC", "clan-del-golfo", "gangs"),
        ("Los Pelusos", "epl", "rebels"),
        ("Iván Mordisco", "emc", "rebels"),
        ("Colombian army", "co-forces", "government"),
        # Nagorno-Karabakh, the Armenia–Azerbaijan border, Georgia
        ("Artsakh Defence Army", "artsakh-defence-army", "separatists"),
        ("ethnic Armenian forces", "artsakh-defence-army", "separatists"),
        ("Azerbaijani army", "az-forces", "government"),
        ("Armenian armed forces", "am-forces", "government"),
        ("Russian peacekeepers", "russian-peacekeepers-karabakh", "foreign forces"),
        ("EUMA", "euma", "international"),
        ("Aliyev", "az-government", "government"),
        ("South Ossetian militia", "south-ossetia-forces", "separatists"),
        ("Georgian troops", "ge-forces", "government"),
        # Nigeria and the Lake Chad basin
        ("Boko Haram", "boko-haram", "jihadists"),
        ("ISWAP", "iswap", "jihadists"),
        ("MNJTF", "mnjtf", "foreign forces"),
        ("Nigerian army", "ng-forces", "government"),
        ("Bello Turji", "turji-gang", "gangs"),
        ("IPOB", "ipob", "separatists"),
        # Burkina Faso, Niger and the Sahel
        ("VDP auxiliaries", "vdp", "militia"),
        ("JNIM", "jnim", "jihadists"),
        ("Islamic State Sahel Province", "is-sahel", "jihadists"),
        ("Africa Corps", "africa-corps", "foreign forces"),
        ("Damiba", "burkina-government", "government"),
        ("Bazoum", "niger-government-civilian", "government"),
        ("AQIM", "aqim", "jihadists"),
        # Central African Republic
        ("FACA", "cf-forces", "government"),
        ("Séléka", "seleka", "rebels"),
        ("ex-Seleka", "ex-seleka", "rebels"),
        ("FPRC", "fprc", "rebels"),
        ("UPC", "upc", "rebels"),
        ("anti-balaka", "anti-balaka", "militia"),
        ("Coalition of Patriots for Change", "cpc", "rebels"),
        ("3R", "three-r", "militia"),
        ("MINUSCA", "minusca", "international"),
        ("Russian instructors", "wagner-car", "foreign forces"),
        # Cameroon
        ("Ambazonia Defence Forces", "ambazonia-defence-forces", "separatists"),
        ("Amba boys", "ambazonia-separatists", "separatists"),
        ("BIR", "cm-bir", "government"),
        ("Cameroonian army", "cm-forces", "government"),
        # Pakistan and Kashmir
        ("TTP", "ttp", "jihadists"),
        ("Pakistani Taliban", "ttp", "jihadists"),
        ("BLA", "bla", "separatists"),
        ("ISPR", "pk-forces", "government"),
        ("Lashkar-e-Taiba", "lashkar-e-taiba", "jihadists"),
        ("JeM", "jaish-e-mohammed", "jihadists"),
        ("CRPF", "in-police", "government"),
        ("Indian army", "in-forces", "government"),
    ],
)
def test_surface_forms(catalogue: ActorCatalogue, text: str, expected: str, side: str) -> None:
    ids = [a.id for a in catalogue.lookup(text)]
    assert expected in ids, (text, ids)
    actor = catalogue.get(expected)
    assert actor is not None and actor.side == side


def test_ambiguous_letters_stay_out(catalogue: ActorCatalogue) -> None:
    # "AFP" is the news agency in most articles that use the letters.
    # "JEM" is Sudan's movement, "JeM" the Kashmiri group: abbreviations match as written.
    assert catalogue.lookup("AFP") == []
    assert [a.id for a in catalogue.lookup("JEM")] == ["jem"]
    assert [a.id for a in catalogue.lookup("JeM")] == ["jaish-e-mohammed"]


@pytest.mark.parametrize(
    ("code", "role", "day", "expected"),
    [
        ("AF", "forces", "2021-08-14", "af-forces"),
        ("AF", "forces", "2021-08-15", "taliban-forces"),
        ("AF", "government", "2015-06-01", "af-government"),
        ("AF", "government", "2023-01-01", "af-government-taliban"),
        ("AF", "government", "2000-01-01", "taliban-government-1996"),
        ("AF", "police", "2019-01-01", "af-police"),
        ("AF", "police", "2024-01-01", "taliban-police"),
        ("LY", "forces", "2011-03-01", "gaddafi-forces"),
        ("LY", "forces", "2012-06-01", "libya-army-2011"),
        ("LY", "forces", "2015-01-01", "ly-forces"),
        ("LY", "forces", "2019-06-01", "gna-forces"),
        ("LY", "forces", "2022-01-01", "gnu-forces"),
        ("LY", "government", "2011-03-01", "gaddafi-government"),
        ("LY", "government", "2013-01-01", "gnc"),
        ("LY", "government", "2015-01-01", "hor"),
        ("LY", "government", "2019-06-01", "gna"),
        ("LY", "government", "2024-01-01", "ly-government"),
        ("CF", "government", "2012-01-01", "car-government-bozize"),
        ("CF", "government", "2013-06-01", "car-government-seleka"),
        ("CF", "government", "2015-01-01", "car-government-transitional"),
        ("CF", "government", "2021-01-01", "cf-government"),
        ("ML", "government", "2019-01-01", "mali-government-civilian"),
        ("ML", "government", "2021-01-01", "mali-government"),
        ("BF", "government", "2021-01-01", "burkina-government-kabore"),
        ("BF", "government", "2023-01-01", "burkina-government"),
        ("NE", "government", "2023-07-25", "niger-government-civilian"),
        ("NE", "government", "2023-07-26", "niger-government"),
        ("IQ", "forces", "2017-07-10", "iq-forces"),
        ("MX", "police", "2022-01-01", "mexico-police"),
    ],
)
def test_country_roles_follow_the_date(
    catalogue: ActorCatalogue, code: str, role: str, day: str, expected: str
) -> None:
    actor = catalogue.country_actor(code, role, dt.date.fromisoformat(day))
    assert actor is not None and actor.id == expected


Analyse = Callable[..., State]


@pytest.mark.parametrize(
    ("published", "expected", "side"),
    [
        (dt.date(2021, 7, 20), "af-forces", "government"),
        (dt.date(2022, 3, 1), "taliban-forces", "government"),
    ],
)
def test_afghan_government_forces_before_and_after_the_fall_of_kabul(
    analyse: Analyse, published: dt.date, expected: str, side: str
) -> None:
    state = analyse(
        "Afghan government forces retook the district centre in Kunduz province on Monday, officials said.",
        published=published,
    )
    mention = find(state, "Afghan government forces")
    assert mention.actor is not None and mention.actor.id == expected
    assert mention.to_actor().side == side
    assert state.countries[0] == "AF"


@pytest.mark.parametrize(
    ("published", "expected", "side"),
    [
        (dt.date(2021, 7, 20), "taliban", "rebels"),
        (dt.date(2023, 5, 2), "af-government-taliban", "government"),
    ],
)
def test_the_taliban_are_insurgents_then_the_government(
    analyse: Analyse, published: dt.date, expected: str, side: str
) -> None:
    state = analyse(
        "The Taliban said on Tuesday that they had detained two men in Herat.", published=published
    )
    mention = find(state, "Taliban")
    assert mention.actor is not None and mention.actor.id == expected
    assert mention.to_actor().side == side


def test_a_libyan_article_in_2019(analyse: Analyse) -> None:
    state = analyse(
        "Forces loyal to Khalifa Haftar shelled Tripoli's Mitiga airport on Sunday. Libyan government forces "
        "said they had pushed the LNA back south of the capital.",
        published=dt.date(2019, 9, 1),
    )
    assert find(state, "Libyan government forces").actor.id == "gna-forces"  # type: ignore[union-attr]
    assert find(state, "LNA").actor.id == "ly-forces"  # type: ignore[union-attr]
    assert state.countries[0] == "LY"


def test_a_shared_name_goes_to_the_articles_country(analyse: Analyse) -> None:
    # "Kurdish forces" is the SDF in Syria and the Peshmerga in Iraq; "ADF" is Congolese or Cameroonian.
    iraq = analyse(
        "Kurdish forces pushed Islamic State fighters out of villages near Mosul in Iraq on Sunday."
    )
    assert find(iraq, "Kurdish forces").actor.id == "peshmerga"  # type: ignore[union-attr]
    cameroon = analyse(
        "Separatist fighters of the ADF attacked a checkpoint near Bamenda, in Cameroon's North-West."
    )
    assert find(cameroon, "ADF").actor.id == "ambazonia-defence-forces"  # type: ignore[union-attr]
