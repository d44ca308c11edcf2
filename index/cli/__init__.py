"""The ``sitrep`` command line: commands, terminal rendering, and the first run."""
