"""The evaluation baseline: fixed 150-word windows, verbatim."""

from index.evaluation.baseline import word_chunks


def test_word_chunks_are_verbatim_150_word_windows() -> None:
    text = " ".join(f"w{i}" for i in range(320)) + "\n"
    chunks = word_chunks("d", text)
    assert [len(c.text.split()) for c in chunks] == [150, 150, 20]
    assert all(c.text in text for c in chunks)
