"""The embedded store: SQLite (aiosqlite, WAL) plus a FAISS file in the data dir."""
