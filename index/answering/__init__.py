"""From a question to quotes: planning, retrieval, quote selection, disagreement, outlet labels."""
