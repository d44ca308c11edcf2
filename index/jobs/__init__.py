"""The job queue in PostgreSQL and ``sitrep worker``, which runs its jobs."""
