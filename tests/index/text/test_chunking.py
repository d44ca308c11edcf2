import itertools

from index.text.chunking import chunk_article, chunk_spans


def spans_of(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    return text, spans


def test_chunks_are_exact_slices_of_the_text() -> None:
    text, spans = spans_of([f"Sentence number {i} reports shelling near the river." for i in range(40)])
    chunks = chunk_article("a1", text, spans, max_chars=200)
    assert len(chunks) > 5
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert len(c.text) <= 200
    assert chunks[0].start == 0 and chunks[-1].end == len(text)


def test_consecutive_chunks_overlap_by_one_sentence() -> None:
    _, spans = spans_of([f"Claim {i} was made by the ministry today." for i in range(10)])
    chunks = chunk_spans(spans, max_chars=100)
    for (_, _, _, last), (_, _, first, _) in itertools.pairwise(chunks):
        assert first == last - 1


def test_a_sentence_longer_than_the_limit_is_its_own_chunk() -> None:
    text, spans = spans_of(["Short one.", "x" * 500 + ".", "Another short one."])
    chunks = chunk_article("a", text, spans, max_chars=100)
    assert [c.text for c in chunks][1] == "x" * 500 + "."
    assert chunks[-1].text.endswith("Another short one.")


def test_empty_text_has_no_chunks() -> None:
    assert chunk_article("a", "", []) == []
