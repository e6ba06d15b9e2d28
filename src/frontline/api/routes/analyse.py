"""Analyse an article without storing it: what ``frontline extract`` prints, over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from ..deps import PipelineDep, SettingsDep, require_write_token
from ..models import ArticleIn
from .articles import read_article

router = APIRouter(tags=["analyse"])


@router.post(
    "/analyse",
    summary="Analyse an article (not stored)",
    dependencies=[Depends(require_write_token)],
    responses={
        200: {"description": "The extraction, schema frontline.extract/1."},
        401: {"description": "No or wrong token."},
        403: {"description": "Writes disabled."},
    },
)
def analyse(body: ArticleIn, pipeline: PipelineDep, settings: SettingsDep) -> dict[str, Any]:
    """Events, control changes, quotes and toponyms of one posted article, exactly as `frontline extract`
    prints them. Needs the token because extraction costs seconds of CPU per article."""
    return pipeline(read_article(body, settings.max_article_bytes)).to_json_dict()
