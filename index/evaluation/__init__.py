"""``sitrep eval``: answer quality on the shared real-reporting data, next to a naive baseline.

Each data set is one section (``sections.py``); the harness (``harness.py``) runs the chosen
sections, prints one table and saves it as dated JSON.
"""
