"""Articles written for the watch tests (the project's own writing), arriving after the sample corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from index.engine import Engine
from index.ingest.readers import TextMeta
from index.models import IngestReport

SCHOOL = (
    "Two civilians were killed in Pellin on Thursday when shells hit the village school, the Brenmoor"
    " provincial administration said.\n\n"
    '"The school had been empty for a week, but two men were repairing its roof," said provincial'
    " spokesperson Tova Rennick. She said a third man was wounded and taken to Tolvik.\n\n"
    "The Ossel Valley Monitoring Mission said it would send a patrol to the village on Friday."
)
# The same report as republished by another outlet, with its own first and last lines.
SCHOOL_COPY = (
    "From our partners at the Ossel Courier.\n\n" + SCHOOL + "\n\nShare this story with your friends."
)
# The same event in another outlet's own words.
SCHOOL_WIRE = (
    "PELLIN (Northline) - Shelling killed two civilians at the school in Pellin on Thursday, according to"
    " the provincial administration in Brenmoor. Rescue workers said the men had been mending the roof"
    " of the empty building when the shells landed."
)
HARBOUR = (
    "Fishing boats returned to the harbour at Vestby on Thursday after a week of storms, the port"
    ' authority said. "The catch is small, but the nets are whole," said harbour master Olaf Brede.'
)
REVISED = (
    "The Zeltran Eastern Command said on Friday that 20 Orvenian soldiers were killed at Pellin on"
    ' March 12, raising its earlier figure. "Twenty enemy soldiers were killed at Pellin on March 12,"'
    " said Eastern Command spokesman Pavel Orsk."
)


async def arrive(engine: Engine, tmp: Path, name: str, text: str, outlet: str, day: str) -> IngestReport:
    """Ingest one .txt article as a reader would add it: outlet, date and link given."""
    path = tmp / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    meta = TextMeta(outlet=outlet, published=date.fromisoformat(day), url=f"https://news.example/{name}")
    report = await engine.ingest([str(path)], meta=meta)
    assert not report.failed, report.failed
    return report
