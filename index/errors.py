"""The library's exceptions. Each carries a message fit to show a user as is."""


class SitrepError(Exception):
    """Base class: anything the library raises on purpose."""


class SourceError(SitrepError):
    """A source could not be read or parsed (bad file, bad JSONL line, unsupported type)."""


class FetchError(SourceError):
    """A URL could not be fetched (network error, HTTP status, too large, timeout)."""


class SourceNotFoundError(SitrepError):
    """No source with that id exists in the caller's scope."""


class IndexNotReadyError(SitrepError):
    """The vector index is missing or being built and cannot answer yet."""


class ModelLoadError(SitrepError):
    """The embedding model could not be loaded (wrong name or path, no hub access)."""


class LabelError(SitrepError):
    """An outlet label that can't be set or removed (empty, too long, not there)."""


class JobFailedError(SitrepError):
    """A queued job (ingest, removal, rebuild) failed in a worker; the message says why."""


class JobTimeoutError(SitrepError):
    """A queued job did not finish in time (no worker running, or all of them busy)."""


class DatabaseConnectionError(SitrepError):
    """PostgreSQL could not be reached, or the connection broke during a write (nothing was committed)."""


class StoreDamagedError(SitrepError):
    """The store's database is corrupt, truncated, empty or another program's: nothing was changed."""


class StoreReadOnlyError(SitrepError):
    """A write to a store that can only be read (a read-only data dir, a mounted snapshot)."""


class StoreWriteError(SitrepError):
    """A write failed (disk full, permission, I/O error); it was rolled back, nothing half-written."""
