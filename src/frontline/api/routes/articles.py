"""Articles: listing and full-text search, one article with its extracted spans marked, and ingest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from ...article import Article, from_mapping
from ...errors import InputError
from ...store.models import ArticleHit, Page
from ..deps import Paging, PipelineDep, SettingsDep, StoreDep, require_write_token
from ..models import ArticleIn, IngestResponse, Mark, MarkedArticle

router = APIRouter(prefix="/articles", tags=["articles"])


@router.get("", response_model=Page[ArticleHit], summary="List or search articles")
def list_articles(
    store: StoreDep,
    page: Paging,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words the title or text contains (all); "
            "results then come best match first, with a snippet.",
        ),
    ] = None,
) -> Page[ArticleHit]:
    """Articles, most recently published first; with `q`, a full-text search."""
    words = (q or "").strip()
    if words:
        return store.search_articles(words, limit=page.limit, offset=page.offset)
    listed = store.list_articles(limit=page.limit, offset=page.offset)
    return Page[ArticleHit](
        items=[ArticleHit(**a.model_dump()) for a in listed.items],
        total=listed.total,
        limit=listed.limit,
        offset=listed.offset,
    )


def marks_of(analysis: dict[str, Any] | None, text_length: int) -> list[Mark]:
    """Every span of the stored analysis, in text order; spans outside the text are dropped, not trusted."""
    if not analysis:
        return []
    found: list[Mark] = []

    def add(span: Any, kind: str, ref: Any, label: Any) -> None:
        if not isinstance(span, list | tuple) or len(span) != 2:
            return
        start, end = span
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= text_length:
            found.append(
                Mark(
                    start=start,
                    end=end,
                    kind=kind,
                    ref=None if ref is None else str(ref),
                    label=None if label is None else str(label),
                )
            )

    for ev in analysis.get("events") or []:
        add(
            ev.get("span"),
            "event",
            ev.get("id"),
            ev.get("sub_event_type") or ev.get("event_type") or (ev.get("plover") or {}).get("event"),
        )
    for qt in analysis.get("quotes") or []:
        speaker = qt.get("speaker") or {}
        add(qt.get("span"), "quote", None, speaker.get("name") or speaker.get("text"))
    for tp in analysis.get("toponyms") or []:
        add(tp.get("span"), "toponym", tp.get("geonameid"), tp.get("text"))
    found.sort(key=lambda m: (m.start, -m.end))
    return found


@router.get(
    "/{article_id}",
    response_model=MarkedArticle,
    summary="One article with its spans marked",
    responses={404: {"description": "No such article."}},
)
def get_article(store: StoreDep, article_id: Annotated[str, Path(max_length=200)]) -> MarkedArticle:
    """The article's text, its stored analysis, and `marks`: the `[start, end)` offsets of every event,
    quote and place name the extractor read, so a page can highlight the evidence sentence."""
    art = store.get_article(article_id)
    data = art.model_dump(exclude={"origin"})
    return MarkedArticle(**data, marks=marks_of(art.analysis, len(art.text)))


def read_article(body: ArticleIn, max_bytes: int) -> Article:
    if len(body.text.encode("utf-8")) > max_bytes:
        raise InputError(
            f"article text is over the {max_bytes:,}-byte limit", source="<request>", field="text"
        )
    return from_mapping(body.model_dump(), name="<request>")


@router.post(
    "",
    response_model=IngestResponse,
    status_code=201,
    summary="Ingest one article",
    dependencies=[Depends(require_write_token)],
    responses={
        200: {"description": "Already stored with the same analysis: nothing changed."},
        401: {"description": "No or wrong token."},
        403: {"description": "Writes disabled."},
    },
)
def ingest(
    body: ArticleIn, store: StoreDep, pipeline: PipelineDep, settings: SettingsDep, response: Response
) -> IngestResponse:
    """Analyse the article and store it with its events and control changes. Re-posting the same article
    changes nothing (its id is a hash of its text and date) and answers 200 instead of 201."""
    article = read_article(body, settings.max_article_bytes)
    analysis = pipeline(article)
    result = store.save_analysis(article, analysis, origin=article.url or "api")
    if result.status == "unchanged":
        response.status_code = 200
    return IngestResponse(result=result, analysis=analysis.to_json_dict())
