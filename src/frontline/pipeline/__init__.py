"""The extraction pipeline: one article in, one ``Analysis`` out.

Stages, in order (each module declares what it requires and sets; ``check_order`` verifies it):

    entities   spaCy parse, with gazetteer and actor rulers in front of its NER      -> doc
    sentences  sentence segments; headings without full stops stand alone            -> sentences
    actors     actor mentions resolved to the catalogue, incl. "the group"           -> actors, countries
    toponyms   place mentions resolved against GeoNames, incl. "the city"            -> places
    dates      date expressions resolved against the publication date                -> dates
    events     who did what to whom, where and when; ACLED and PLOVER types          -> events
    typing     each event's ACLED sub-event type, by a learned classifier beside it   -> events
    modality   asserted, claimed, denied, threatened, planned, hypothetical ...      -> events
    control    changes of control of places, read over the whole article             -> control_changes
    modality_learned  the modality classifier, where the rules read "as told"        -> events
    identity   mentions of one happening joined into one event (ACLED's unit)        -> events
    quotes     direct quotes and reported speech with speaker and affiliation        -> quotes

The pipeline holds no global state: a process pool or a Ray worker builds one ``Pipeline`` and calls it
for every article it gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..article import Article
from ..errors import FrontlineError
from ..schema import Analysis
from .base import Stage, State, check_order

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..actors.base import Catalogue
    from ..gazetteer.base import Gazetteer
    from ..learn.registry import Models
    from ..settings import Settings


def _no_models() -> Models:
    from ..learn.registry import Models

    return Models()


@dataclass
class Resources:
    """The reference data a pipeline reads: loaded once per process, shared by every article."""

    nlp: Language
    gazetteer: Gazetteer
    catalogue: Catalogue
    models: Models = field(default_factory=lambda: _no_models())
    control_threshold: float = 0.5
    control_anaphor_margin: float = 0.2

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        catalogue: Catalogue | None = None,
    ) -> Resources:
        from ..actors import load_catalogue
        from ..gazetteer import open_gazetteer
        from ..learn.registry import Models
        from ..settings import get_settings
        from .entities import load_nlp

        settings = settings or get_settings()
        gazetteer = gazetteer or open_gazetteer(settings)
        catalogue = catalogue or load_catalogue(settings.catalogues)
        nlp = load_nlp(settings.spacy_model, gazetteer=gazetteer, catalogue=catalogue)
        return cls(
            nlp=nlp,
            gazetteer=gazetteer,
            catalogue=catalogue,
            models=Models.load(settings),
            control_threshold=settings.control_threshold,
            control_anaphor_margin=settings.control_anaphor_margin,
        )


def default_stages(resources: Resources) -> list[Stage]:
    from .actors import ActorStage
    from .control import ControlStage
    from .dates import DateStage
    from .entities import EntityStage
    from .events import EventStage
    from .identity import IdentityStage
    from .modality import LearnedModalityStage, ModalityStage
    from .quotes import QuoteStage
    from .sentences import SentenceStage
    from .toponyms import ToponymStage
    from .typing import TypingStage

    return [
        EntityStage(resources.nlp),
        SentenceStage(),
        ActorStage(resources.catalogue, resources.gazetteer),
        ToponymStage(resources.gazetteer),
        DateStage(),
        EventStage(resources.gazetteer, catalogue=resources.catalogue),
        TypingStage(
            model=resources.models.event_type,
            plover_model=resources.models.plover,
            mode_model=resources.models.plover_mode,
        ),
        ModalityStage(),
        ControlStage(
            model=resources.models.control,
            threshold=resources.control_threshold,
            anaphor_margin=resources.control_anaphor_margin,
            catalogue=resources.catalogue,
            gainer_model=resources.models.control_gainer,
            date_model=resources.models.control_date,
        ),
        *([LearnedModalityStage(resources.models.modality)] if resources.models.modality else []),
        IdentityStage(),
        QuoteStage(),
    ]


class Pipeline:
    """Call it with an Article; get its Analysis."""

    def __init__(
        self,
        resources: Resources | None = None,
        stages: list[Stage] | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.resources = resources or Resources.load(settings)
        self.stages = stages if stages is not None else default_stages(self.resources)
        check_order(self.stages)

    def parse_many(self, articles: list[Article]) -> list[Doc]:
        """spaCy's parse of many articles at once (batched, so faster), to hand to ``run(doc=...)``."""
        return list(self.resources.nlp.pipe([a.text for a in articles], batch_size=len(articles)))

    def run(self, article: Article, doc: Doc | None = None) -> State:
        state = State(article=article, text=article.text)
        state.doc = doc  # parsed already (``parse_many``); the entities stage then does not parse again
        state.warnings.extend(article.warnings)
        if article.published is None:
            state.warnings.append("no publication date: relative dates are left unresolved")
        for stage in self.stages:
            stage(state)
        return state

    def __call__(self, article: Article, doc: Doc | None = None) -> Analysis:
        from .output import to_analysis

        return to_analysis(self.run(article, doc))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis | FrontlineError]:
        """Analyse many articles; a failing one yields its error and the rest go on."""
        for article in articles:
            try:
                yield self(article)
            except FrontlineError as exc:
                yield exc
