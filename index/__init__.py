"""sitrep's library: ingest conflict reporting, index it, answer with verbatim, attributed quotes.

Never imports discord: the bot in ``bot/`` is a thin adapter over this package.
"""

from index.engine import Engine
from index.errors import (
    FetchError,
    IndexNotReadyError,
    ModelLoadError,
    SitrepError,
    SourceError,
    SourceNotFoundError,
)
from index.models import (
    GLOBAL_SCOPE,
    Answer,
    Article,
    DocumentRef,
    Failure,
    IngestReport,
    Progress,
    Quote,
    SourceInfo,
    Stats,
)

__all__ = [
    "GLOBAL_SCOPE",
    "Answer",
    "Article",
    "DocumentRef",
    "Engine",
    "Failure",
    "FetchError",
    "IndexNotReadyError",
    "IngestReport",
    "ModelLoadError",
    "Progress",
    "Quote",
    "SitrepError",
    "SourceError",
    "SourceInfo",
    "SourceNotFoundError",
    "Stats",
]
