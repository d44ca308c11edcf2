"""Who said what: speaker attribution per sentence, and the claims stored per article."""
