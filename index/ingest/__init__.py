"""Ingest: from a SOURCE (file, directory, article URL, feed) to stored, embedded articles."""
