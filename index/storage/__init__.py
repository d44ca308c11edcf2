"""Storage: the interface the engine uses, the records both backends share, and the backends."""
