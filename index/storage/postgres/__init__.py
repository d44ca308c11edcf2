"""The shared store: PostgreSQL with pgvector, for several processes and machines."""
