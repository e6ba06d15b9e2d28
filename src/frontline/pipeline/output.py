"""From the pipeline's working state to the output contract's ``Analysis``."""

from __future__ import annotations

from ..schema import Analysis, ArticleInfo, Event, Mention, Plover
from .base import EventDraft, State


def to_event(state: State, d: EventDraft) -> Event:
    sent = state.sentences[d.sent] if 0 <= d.sent < len(state.sentences) else None
    date = d.date
    return Event(
        id=d.id,
        sentence=sent.text if sent else "",
        span=(d.trigger_start, d.trigger_end),
        event_type=d.event_type,
        sub_event_type=d.sub_event_type,
        plover=Plover(event=d.plover, mode=d.plover_mode, context=d.context),
        modality=d.modality,
        date=date.date if date else None,
        time_precision=date.precision if date and date.date else None,
        date_text=(date.text or None) if date and date.start >= 0 else None,
        location=d.place.to_location(state.place_name(d.place)) if d.place else None,
        actor1=d.actor1.to_actor() if d.actor1 else None,
        actor2=d.actor2.to_actor() if d.actor2 else None,
        fatalities=d.fatalities,
        confidence=round(max(0.0, min(1.0, d.confidence)), 3),
        mentions=[
            Mention(sentence=state.sentences[i].text, span=(a, b))
            for i, a, b in d.mentions
            if 0 <= i < len(state.sentences)
        ],
        part_of=d.part_of if isinstance(d.part_of, str) else None,
    )


def to_analysis(state: State) -> Analysis:
    a = state.article
    info = ArticleInfo(
        id=a.id,
        title=a.title,
        published=a.published,
        url=a.url,
        source=a.source,
        text=a.text if a.origin == "html" else None,
    )
    toponyms = [m.to_toponym() for m in state.places if not m.anaphor and not m.demonym]
    return Analysis(
        article=info,
        events=[to_event(state, d) for d in state.events],
        control_changes=state.control_changes,
        quotes=state.quotes,
        toponyms=toponyms,
        warnings=list(dict.fromkeys(state.warnings)),
    )
