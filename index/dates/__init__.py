"""Dates: found in reporting, stated by questions, and the days a passage speaks of."""
