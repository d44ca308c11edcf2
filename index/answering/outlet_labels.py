"""Outlet labels an admin sets per scope ("state media", "party to the conflict"): checks and display."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from index.errors import LabelError
from index.models import DocumentRef, Quote

LABEL_MAX = 40
OUTLET_MAX = 100


def clean_label(outlet: str, label: str) -> tuple[str, str]:
    """The outlet and label with spaces collapsed; raises LabelError when either is empty or too long."""
    outlet, label = " ".join(outlet.split()), " ".join(label.split())
    if not outlet or not label:
        raise LabelError(
            "Both the outlet and the label are needed, e.g. `label “Zeltran Voice” “state media”`."
        )
    if len(outlet) > OUTLET_MAX or len(label) > LABEL_MAX:
        raise LabelError(f"Keep the outlet under {OUTLET_MAX} and the label under {LABEL_MAX} characters.")
    return outlet, label


def outlets_with_labels(labels: Mapping[str, tuple[str, str]], wanted: Sequence[str]) -> tuple[str, ...]:
    """The outlets whose label is one of ``wanted`` (case-insensitive)."""
    keys = {w.casefold().strip() for w in wanted}
    return tuple(outlet for outlet, label in labels.values() if label.casefold() in keys)


def _labelled(doc: DocumentRef, labels: Mapping[str, tuple[str, str]]) -> DocumentRef:
    found = labels.get((doc.outlet or "").casefold())
    return replace(doc, label=found[1] if found else None)


def label_quotes(quotes: Sequence[Quote], labels: Mapping[str, tuple[str, str]]) -> list[Quote]:
    """Quotes whose documents (and republications) carry their outlet's label."""
    if not labels:
        return list(quotes)
    return [
        replace(
            q, document=_labelled(q.document, labels), also_in=tuple(_labelled(d, labels) for d in q.also_in)
        )
        for q in quotes
    ]
