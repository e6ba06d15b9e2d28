"""Stage ``dates``: date expressions, resolved against the publication date, with ACLED time precision.

Precision follows ACLED: 1 the day is known, 2 within a week (the mid-point is given), 3 within a month
(mid-month), and a year alone is given as mid-year with 3. Relative expressions ("on Thursday", "last week",
"two days ago") need the publication date: without one they stay unresolved (``date=None``) and their
words are kept. A date more than a year before publication is marked historical ("the 1982 massacre").

Written as explicit patterns rather than a general date parser: conflict reports use a small set of forms,
and the parser's guesses (a bare "may" read as May, a month read as the 6th of it) are what go wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import DateMention, State

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_FULL_MONTHS = {name.lower() for name in calendar.month_name if name}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# Number words, as counts in dates ("two days ago") and casualty figures ("killing five").
CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# In a date "several days ago" is about three days; casualty counts follow ACLED's own rule (events.py).
NUMBER_WORDS = {**CARDINALS, "a": 1, "an": 1, "several": 3, "a few": 3, "few": 3}

_M = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
# Parts of a month a text names: "the end of", "the first days of", "the last week of", "the middle of".
_PART = (
    r"end|beginning|start|middle|first\s+(?:days|week|weeks|half)|last\s+(?:days|week|weeks)|second\s+half"
)
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# Month expressions without a year ("in December", "at the end of October"): their year is the story's
_MONTH_KINDS = ("month_only", "month_part")
_Y = r"(?P<year>(?:19|20)\d\d)"
_NUM = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|few)"
_WD = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Order matters: longer, more specific forms first; a span once taken is not read again.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b(?:on\s+)?(?:the\s+)?{_D}\s+(?:of\s+)?{_M},?\s+{_Y}\b", re.I)),
    ("mdy", re.compile(rf"\b(?:on\s+)?{_M}\s+{_D},?\s+{_Y}\b", re.I)),
    ("dm", re.compile(rf"\b(?:on\s+)?(?:the\s+)?{_D}\s+(?:of\s+)?{_M}(?![\w-])", re.I)),
    ("md", re.compile(rf"\b(?:on\s+)?{_M}\s+{_D}(?![\w,]*\s*(?:19|20)\d\d)(?![\d\w-])", re.I)),
    (
        "my",
        re.compile(
            rf"\b(?:in\s+|since\s+|by\s+|of\s+)?(?:(?:the\s+)?(?P<part>early|late|mid-?|(?:{_PART})\s+of)\s*)?{_M},?\s+{_Y}\b",
            re.I,
        ),
    ),
    # "at the end of October", "in the first days of September", "the last week of June" (not "last week")
    (
        "month_part",
        re.compile(
            rf"\b(?:(?:in|at|by|since|until|during|from)\s+)?the\s+(?P<part>(?:{_PART}))\s+of\s+{_M}(?![\w-])",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:on|late|early|last|this\s+past)\s+)?{_WD}(?:'s|’s)?"
            r"(?:\s+(?:morning|afternoon|evening|night))?\b",
            re.I,
        ),
    ),
    ("yesterday", re.compile(r"\b(?:the\s+day\s+before\s+yesterday|yesterday|last\s+night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "later",
        re.compile(
            rf"\b(?:(?P<same>the\s+same\s+day|that\s+(?:same\s+)?day|that\s+night)|"
            rf"(?P<next>the\s+(?:next|following)\s+(?P<nunit>day|morning|night|week|month))|"
            rf"(?P<prev>the\s+(?:day|night)\s+before|the\s+previous\s+(?P<punit>day|week|month))|"
            rf"(?:{_NUM}\s+(?P<unit>days?|weeks?|months?)\s+later))\b",
            re.I,
        ),
    ),
    (
        "ago",
        re.compile(
            rf"\b{_NUM}\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+(?:ago|earlier|before)\b", re.I
        ),
    ),
    (
        "week",
        re.compile(
            r"\b(?P<which>last|this|past|earlier\s+this|previous|the\s+past|the\s+previous|"
            r"in\s+a|within\s+a|over\s+the\s+past|during\s+the\s+past|next)\s+week(?:end)?\b",
            re.I,
        ),
    ),
    ("weekend", re.compile(r"\b(?:over\s+|at\s+|during\s+)?the\s+weekend\b", re.I)),
    ("month", re.compile(r"\b(?P<which>last|this|earlier\s+this|past|previous|next)\s+month\b", re.I)),
    ("year_rel", re.compile(r"\b(?P<which>last|this|earlier\s+this|past|previous|next)\s+year\b", re.I)),
    (
        "month_only",
        re.compile(
            # "took Paletwa (January), Buthidaung on 18 May": a month in brackets dates what it follows
            rf"(?:\b(?P<prep>in|since|during|early|late|mid-|until|by|throughout)\s+|(?<=\()(?={_FULL}\)))"
            rf"{_M}(?![\w-])",
            re.I,
        ),
    ),
    ("decade", re.compile(r"\b(?:in\s+)?the\s+(?P<decade>(?:19|20)\d0)s\b", re.I)),
    (
        "year",
        re.compile(
            rf"(?<![\d,.$£€-])\b{_Y}\b(?![\d,.]\d|-year|\s*(?:people|troops|soldiers|fighters|"
            r"civilians|km|kilometres|kilometers|miles|residents|men|women|children|dead|killed|"
            r"deaths|families|houses|homes)\b)",
            re.I,
        ),
    ),
]


def _month(value: str) -> int:
    return MONTHS[value.lower().rstrip(".")]


def _mid_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, 15)


def _part_of_month(year: int, month: int, part: str | None) -> dt.date:
    """ "early January 2014" is about the 5th, "late March" the 25th, "mid-June" or "June" the 15th."""
    p = " ".join((part or "").lower().split())
    # the middle of the part named: "the first days of" the 2nd, "the first week of" the 4th, "the last
    # week of" the 28th (a day every month has)
    for start, day in _PART_DAYS:
        if p.startswith(start):
            return dt.date(year, month, day)
    if p.startswith(("early", "beginning", "start")):
        return dt.date(year, month, 5)
    if p.startswith(("late", "end")):
        return dt.date(year, month, 25)
    return _mid_month(year, month)


_PART_DAYS = (
    ("first days", 2), ("first week", 4), ("first half", 8),
    ("second half", 23), ("last week", 28), ("last days", 28),
)  # fmt: skip


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _recent_month(month: int, published: dt.date) -> int:
    """The year of the most recent such month not after publication ("in December" read in March)."""
    return published.year if month <= published.month else published.year - 1


def resolve(
    kind: str, m: re.Match[str], published: dt.date | None
) -> tuple[dt.date | None, int | None, bool]:
    """(date, precision, relative) for one pattern match."""
    g = m.groupdict()
    if kind == "iso":
        return _safe_date(int(g["year"]), int(g["mnum"]), int(g["day"])), 1, False
    if kind in ("dmy", "mdy"):
        return _safe_date(int(g["year"]), _month(g["month"]), int(g["day"])), 1, False
    if kind in ("dm", "md"):
        if published is None:
            return None, 1, True
        month, day = _month(g["month"]), int(g["day"])
        year = published.year
        date = _safe_date(year, month, day)
        if date and date > published + dt.timedelta(days=31):  # "on 28 December" read in January
            date = _safe_date(year - 1, month, day)
        return date, 1, True
    if kind == "my":
        return _part_of_month(int(g["year"]), _month(g["month"]), g.get("part")), 3, False
    if kind in _MONTH_KINDS:
        if published is None:
            return None, 3, True
        month = _month(g["month"])
        prep = (g.get("prep") or g.get("part") or "").lower()
        return _part_of_month(_recent_month(month, published), month, prep), 3, True
    if kind == "decade":
        return dt.date(int(g["decade"]) + 5, 1, 1), 3, False
    if kind == "year":
        return dt.date(int(g["year"]), 7, 1), 3, False
    if kind == "later":
        return None, 1, True  # "the next day": resolved against the story's own last date (DateStage)
    if published is None:
        return None, (2 if kind in ("week", "weekend") else 3 if kind in ("month", "year_rel") else 1), True
    if kind == "weekday":
        back = (published.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        return published - dt.timedelta(days=back), 1, True
    if kind == "yesterday":
        text = m.group(0).lower()
        return published - dt.timedelta(days=2 if "before" in text else 1), 1, True
    if kind == "today":
        return published, 1, True
    if kind == "tomorrow":
        return published + dt.timedelta(days=1), 1, True
    if kind == "ago":
        n, unit = _count(g["n"]), g["unit"].lower().rstrip("s")
        if unit == "day":
            return published - dt.timedelta(days=n), 1, True
        if unit == "week":
            return published - dt.timedelta(days=7 * n), 2, True
        if unit == "month":
            return published - dt.timedelta(days=30 * n), 3, True
        years = n * (10 if unit == "decade" else 1)
        return dt.date(published.year - years, 7, 1), 3, True
    if kind == "week":
        which = " ".join(g["which"].lower().split())
        if which == "next":
            return published + dt.timedelta(days=7), 2, True
        if which in ("this", "earlier this"):
            monday = published - dt.timedelta(days=published.weekday())
            return monday + (published - monday) / 2, 2, True
        if which in ("last", "previous", "the previous"):
            monday = published - dt.timedelta(days=published.weekday() + 7)
            return monday + dt.timedelta(days=3), 2, True
        # "in a week", "the past week": the seven days up to publication
        return published - dt.timedelta(days=3), 2, True
    if kind == "weekend":
        back = (published.weekday() - 5) % 7  # the most recent Saturday
        return published - dt.timedelta(days=back), 2, True
    if kind == "month":
        which = g["which"].lower()
        if which in ("last", "previous", "past"):
            first = published.replace(day=1) - dt.timedelta(days=1)
            return _mid_month(first.year, first.month), 3, True
        if which == "next":
            nxt = published.replace(day=28) + dt.timedelta(days=7)
            return _mid_month(nxt.year, nxt.month), 3, True
        return _mid_month(published.year, published.month), 3, True
    if kind == "year_rel":
        which = g["which"].lower()
        year = (
            published.year - 1
            if which in ("last", "previous", "past")
            else published.year + (1 if which == "next" else 0)
        )
        return dt.date(year, 7, 1), 3, True
    return None, None, False


def find_dates(
    text: str, published: dt.date | None
) -> Iterator[tuple[int, int, str, dt.date | None, int | None, bool]]:
    """(start, end, text, date, precision, relative) for every date expression, in text order."""
    for start, end, found, date, precision, relative, _ in find_date_matches(text, published):
        yield start, end, found, date, precision, relative


def find_date_matches(
    text: str, published: dt.date | None
) -> Iterator[tuple[int, int, str, dt.date | None, int | None, bool, _Kinded]]:
    """As ``find_dates``, with the match itself (its pattern's groups say which kind of expression)."""
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            month = m.groupdict().get("month")
            if month and not month[0].isupper():
                continue  # news capitalises months; "may" and "march" in lower case are a verb or a walk
            if (
                month
                and month.rstrip(".").lower() in _FULL_MONTHS
                and re.search(re.escape(month) + r"\.\s", m.group(0))
            ):
                continue  # "in May. 31 ..." runs over a full stop: not one date
            date, precision, relative = resolve(kind, m, published)
            if kind in ("dmy", "mdy", "iso", "dm", "md") and date is None and (published or not relative):
                continue  # an impossible calendar date ("31 February 2024") is not a date
            if m.group(0).endswith(".") and not re.search(r"\b[A-Z][a-z]{2}\.$", m.group(0)):
                end -= 1  # the sentence's full stop, not an abbreviation's
            taken.append((start, end))
            found.append((start, end, text[start:end], date, precision, relative, kind, m))
    found.sort(key=lambda x: x[0])
    for n, (start, end, t, date, precision, relative, kind, m) in enumerate(found):
        after = found[n + 1] if n + 1 < len(found) else None
        if (
            kind == "weekday"
            and after is not None
            and after[6] in ("dmy", "mdy", "dm", "md", "iso")
            and re.fullmatch(r"[\s,]*(?:the\s+)?", text[end : after[0]])
        ):
            continue  # "Friday 15 January 2016": the weekday of the date that follows, not a day this week
        yield start, end, t, date, precision, relative, _Kinded(kind, m)


@dataclass(frozen=True)
class _Kinded:
    kind: str
    match: re.Match[str]


# Expressions whose year the text states: they set the story's own time for what follows.
_EXPLICIT = ("iso", "dmy", "mdy", "my")


class DateStage:
    name = "dates"
    requires: tuple[str, ...] = ("sentences",)
    sets: tuple[str, ...] = ("dates",)

    def __call__(self, state: State) -> None:
        published = state.article.published
        out: list[DateMention] = []
        story: DateMention | None = None  # the last date the text stated with its year
        last: DateMention | None = None  # the last date read, for "the next day"
        titled = _title_year(state.article.title, published)
        floor: dt.date | None = None  # the start of a range the text gave ("from 27 September to ...")
        matches = list(find_date_matches(state.text, published))
        prev_kind = ""
        for i, (start, end, text, date, precision, relative, k) in enumerate(matches):
            sent = state.sentence_of(start)
            kind = k.kind
            if (
                published is not None
                and state.sentences
                and _dateline(state.text, state.sentences[sent].start, start, end)
            ):
                continue  # "HERAT, July 9 —": when the report was filed, not when anything happened
            ranged = _range_year(state.text, end, matches[i + 1] if i + 1 < len(matches) else None)
            if kind in ("dm", "md") and date is not None and ranged is not None:
                # "from 27 September to 9 November 2020": the range's year is both ends'
                date = _safe_date(ranged, date.month, date.day) or date
                floor = date  # the story may go back to the range's start ("... on 27 September")
            elif kind in ("dm", "md", *_MONTH_KINDS) and date is not None:
                read = date
                if story is not None and story.date:
                    date = _in_story_year(
                        date,
                        story.date,
                        published,
                        forward=kind not in _MONTH_KINDS,
                        floor=floor,
                    )
                near = story is not None and story.date and abs((date - story.date).days) <= STORY_REACH_DAYS
                if date == read and not near and titled is not None and date.year != titled:
                    # nothing in the story places it: the year the title is about ("the 2020 war")
                    date = _safe_date(titled, date.month, date.day) or date
            elif kind == "later":
                date, precision = _after(k.match, last)
            elif (
                kind == "year_rel"
                and date is not None
                and out
                and prev_kind in ("dm", "md", *_MONTH_KINDS)
                and out[-1].date is not None
                and not state.text[out[-1].end : start].strip()
            ):
                # "on 31 March last year": one date, whose year is "last year"
                day, told = out[-1], out[-1].date
                assert told is not None
                day.date = _safe_date(date.year, told.month, told.day) or told
                day.end, day.text = end, state.text[day.start : end].strip()
                continue
            prev_kind = kind
            historical = False  # set below, once the report's period is known
            mention = DateMention(
                start=start,
                end=end,
                text=text.strip(),
                sent=sent,
                date=date,
                precision=precision,
                historical=historical,
                relative=relative,
            )
            out.append(mention)
            if date is not None:
                last = mention
                if kind in _EXPLICIT or (kind in ("dm", "md") and story is not None):
                    story = mention  # a story told day by day keeps its year from one line to the next
        period = report_period_start(state, out, titled)
        for m in out:
            m.historical = _before_period(m.date, published, period)
        state.dates = out


STORY_REACH_DAYS = 120
# How long before publication a happening is history, for a report about now: news of the last weeks
# recalls older captures as background. On the benchmark's train split, annotators coded 8 in 10 of the
# typed happenings one to three months before a news report as history, and nearly all older ones; a
# chronicle (a timeline, an encyclopedia entry) has its own period (report_period_start). Measured on
# train and dev: 45 days removed a sixth of the extra ACLED rows for 1% of the matched ones.
HISTORY_AFTER_DAYS = 45


def _before_period(date: dt.date | None, published: dt.date | None, period: dt.date | None) -> bool:
    """History: weeks before publication (HISTORY_AFTER_DAYS) and before the period the report is about."""
    if date is None or published is None:
        return False
    if date >= published - dt.timedelta(days=HISTORY_AFTER_DAYS):
        return False
    return period is None or date < period - dt.timedelta(days=31)


def dated_line(text: str) -> bool:
    """A timeline's line that opens with its date ("5 December – Hama falls", "August 8: ...")."""
    return bool(re.match(r"^\W*(?:\d{1,2}\s+\w+|\w+\s+\d{1,2}|\w+day|\d{4})\b[^.]{0,30}?(?:[–—:-]|$)", text))


def report_period_start(state: State, dates: list[DateMention], titled: int | None) -> dt.date | None:
    """When the period a report is about begins, when the report says so: the year its title names ("the
    2020 Nagorno-Karabakh war") or the first of a range it names ("Battle of Aleppo (2012–2016)"), the
    first entry of a timeline (three or more lines that open with their date), or the year of a lede that
    tells, in the past tense, only of days long before publication ("The siege of Djibo began in 2022 ...":
    an article about that time, not news that recalls it). What it tells from then on is its subject, not
    history, however long ago it was published."""
    starts: list[dt.date] = []
    if titled is not None:
        starts.append(dt.date(titled, 1, 1))
    ranged = _title_range_start(state.article.title, state.article.published)
    if ranged is not None:
        starts.append(dt.date(ranged, 1, 1))
    told = _lede_period(state, dates)
    if told is not None:
        starts.append(told)
    defined = _entry_period(state, dates)
    if defined is not None:
        starts.append(defined)
    first_of: dict[int, DateMention] = {}
    for m in dates:
        first_of.setdefault(m.sent, m)
    lines = [
        m.date
        for i, m in first_of.items()
        if m.date is not None
        and i < len(state.sentences)
        and m.start - state.sentences[i].start <= 3
        and (state.sentences[i].heading or dated_line(state.sentences[i].text))
    ]
    if len(lines) >= 3:
        starts.append(min(lines))
    return min(starts) if starts else None


_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])")


def _title_year(title: str | None, published: dt.date | None) -> int | None:
    """The one year a title names ("Southern campaign of the 2020 Nagorno-Karabakh war"), when it names one
    and it is not after the publication."""
    years = {int(y) for y in _YEAR.findall(title or "")}
    if len(years) != 1:
        return None
    year = years.pop()
    return year if published is None or year <= published.year else None


_TITLE_RANGE = re.compile(r"(?<![\d-])((?:19|20)\d\d)\s*[–—-]\s*(?:(?:19|20)\d\d|\d\d|present)(?!\d)")


def _title_range_start(title: str | None, published: dt.date | None) -> int | None:
    """The first year of a range a title names ("M23 rebellion (2012–2013)")."""
    m = _TITLE_RANGE.search(title or "")
    if m is None:
        return None
    year = int(m.group(1))
    return year if published is None or year <= published.year else None


def _lede_period(state: State, dates: list[DateMention]) -> dt.date | None:
    """The start of the year of the lede's earliest date, when the lede's main verb is in the past tense and
    every date it writes out is more than a year before publication."""
    published = state.article.published
    lede = state.lede()
    doc = state.doc
    if lede is None or published is None or doc is None:
        return None
    span = doc.char_span(lede.start, lede.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    own = [
        m.date
        for m in dates
        if m.sent == lede.index and m.date is not None and not m.derived and _in_main_clause(doc, m, root)
    ]
    if not own or any((published - d).days <= 365 for d in own):
        return None
    past = root.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in root.children)
    return dt.date(min(own).year, 1, 1) if past else None


def _entry_period(state: State, dates: list[DateMention]) -> dt.date | None:
    """A reference entry ("The Battle of Bakhmut was a prolonged engagement ...", "The M23 rebellion was
    an armed insurgency ..."): a lede that defines its subject is about all the time it goes on to tell,
    from the year of the first date of its first paragraph (else of the entry)."""
    lede, doc = state.lede(), state.doc
    if lede is None or doc is None:
        return None
    span = doc.char_span(lede.start, lede.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    defines = (
        root.lemma_ == "be"
        and any(c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN") for c in root.children)
        and any(c.dep_ == "nsubj" and c.i < root.i for c in root.children)
    )
    if not defines:
        return None
    para_end = state.text.find("\n", lede.end)
    para_end = len(state.text) if para_end < 0 else para_end
    told = [m.date for m in dates if m.date is not None and m.start < para_end and not m.derived]
    told = told or [m.date for m in dates if m.date is not None and not m.derived]
    return dt.date(min(told).year, 1, 1) if told else None


def _in_main_clause(doc: Doc, m: DateMention, root: Token) -> bool:
    """The date hangs on the sentence's main verb, not on a clause inside it ("which they had held since
    1993")."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    cur = span.root
    while cur.i != root.i and cur.head.i != cur.i:
        if cur.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp", "csubj"):
            return False
        cur = cur.head
    return cur.i == root.i


_RANGE_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|[–—-])\s*$", re.I)


def _range_year(text: str, end: int, following: tuple | None) -> int | None:
    """The year of a range's second end, for a first end written without one."""
    if following is None:
        return None
    f_start, _, _, f_date, _, _, f_kind = following
    if f_kind.kind not in ("dmy", "mdy") or f_date is None or f_start - end > 12:
        return None
    return f_date.year if _RANGE_JOIN.match(text[end:f_start]) else None


_DATELINE_LEAD = re.compile(r"^\W*[A-Z][\w .'/-]*,[^.\n]{0,40}$")


def _dateline(text: str, sentence_start: int, start: int, end: int) -> bool:
    """A date in a report's dateline ("KYIV, Oct 3 (Reuters) –", "HERAT, Afghanistan, July 9 —")."""
    if start - sentence_start > 60 or not _DATELINE_LEAD.match(text[sentence_start:start]):
        return False
    return text[end : end + 4].lstrip()[:1] in ("—", "–", "-", "(", ":")


def _in_story_year(
    date: dt.date,
    story: dt.date,
    published: dt.date | None,
    *,
    forward: bool = True,
    floor: dt.date | None = None,
) -> dt.date:
    """ "On 11 April" after "On 5 April 2024 ..." in a report of June 2025: the story's year, not the
    publication's. Taken only when the publication's reading lands far from the story's last stated date
    and the story's reading close to it (a story moves forward, so for a day the nearest later one), so that
    a timeline of 2016–17 that opens with background from 2014 keeps reading "20 October" as 2016."""
    if abs((date - story).days) <= STORY_REACH_DAYS:
        return date
    options = [
        c
        for c in (_safe_date(y, date.month, date.day) for y in (story.year - 1, story.year, story.year + 1))
        if c is not None and (published is None or c <= published)
    ]
    if forward:
        back = 31
        if floor is not None and floor <= story and (story - floor).days <= 2 * STORY_REACH_DAYS:
            back = max(back, (story - floor).days)  # back to the start of a range the text gave
        options = [c for c in options if -back <= (c - story).days <= STORY_REACH_DAYS]
    else:
        options = [c for c in options if abs((c - story).days) <= 2 * STORY_REACH_DAYS]
    if not options:
        return date
    return min(options, key=lambda c: abs((c - story).days))


def _after(m: re.Match[str], last: DateMention | None) -> tuple[dt.date | None, int | None]:
    """ "The next day", "two days later", "the same day": counted from the last date the story gave."""
    if last is None or last.date is None:
        return None, 1
    g = m.groupdict()
    base, precision = last.date, last.precision or 1
    if g.get("same"):
        return base, precision
    if g.get("next"):
        unit = (g.get("nunit") or "day").lower()
        days = {"week": 7, "month": 30}.get(unit, 1)
        return base + dt.timedelta(days=days), max(precision, 1 if days == 1 else 2 if days == 7 else 3)
    if g.get("prev"):
        unit = (g.get("punit") or "day").lower()
        days = {"week": 7, "month": 30}.get(unit, 1)
        return base - dt.timedelta(days=days), max(precision, 1 if days == 1 else 2 if days == 7 else 3)
    n, unit = _count(g.get("n") or "1"), (g.get("unit") or "day").lower().rstrip("s")
    days = n * {"week": 7, "month": 30}.get(unit, 1)
    return base + dt.timedelta(days=days), max(precision, 1 if unit == "day" else 2 if unit == "week" else 3)
