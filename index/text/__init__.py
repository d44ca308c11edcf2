"""Text processing on clean article text: cleaning, chunking, sentences, near copies, name spellings."""
