"""Standing questions: which new articles answer a watch (``matching``), and when a daily digest is due
(``schedule``). The bot posts what these find; the library never talks to Discord."""
