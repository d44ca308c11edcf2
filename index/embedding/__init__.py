"""Sentence embeddings: the Embedder protocol, its backends, and the lazy loader."""
