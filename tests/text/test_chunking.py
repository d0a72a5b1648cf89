from hypothesis import given, settings
from hypothesis import strategies as st

from steps.text.chunking import chunk_text

WORDS = st.lists(st.sampled_from(["Pt", "seen", "CARLOS", "née", "München", "日本語", "😀", "BP 120/80.",
                                  "\n", "\n\n", "x" * 30, "ok;", "done?"]), min_size=1, max_size=400)


@settings(max_examples=150, deadline=None)
@given(words=WORDS, max_bytes=st.integers(120, 600), overlap=st.integers(0, 80))
def test_chunks_fit_cover_and_overlap(words, max_bytes, overlap):
    text = " ".join(words)
    chunks = chunk_text(text, max_bytes, overlap)
    encoded = text.encode("utf-8")
    assert chunks[0].charStart == 0 and chunks[-1].charEnd == len(text)
    for chunk, following in zip(chunks, chunks[1:], strict=False):
        assert following.charStart <= chunk.charEnd, "neighbours overlap or touch, never leave a gap"
        assert following.charStart > chunk.charStart, "every chunk makes progress"
    for chunk in chunks:
        piece = text[chunk.charStart:chunk.charEnd]
        assert len(piece.encode("utf-8")) <= max_bytes
        assert encoded[chunk.byteStart:chunk.byteEnd].decode("utf-8") == piece


def test_cuts_prefer_line_breaks_and_keep_words_whole():
    text = "\n".join(f"Visit {i}: seen by Dr SMITH with the family present." for i in range(100))
    chunks = chunk_text(text, 1000, 100)
    assert len(chunks) > 5
    for chunk in chunks[:-1]:
        assert text[chunk.charEnd - 1] == "\n"
    for chunk in chunks[1:]:
        assert text[chunk.charStart - 1].isspace(), "a chunk starts at a word start"


def test_overlap_repeats_the_tail_of_the_previous_chunk():
    text = "word " * 2000
    first, second = chunk_text(text, 1000, 200)[:2]
    assert first.charEnd - second.charStart >= 195


def test_text_under_the_limit_is_one_chunk():
    chunks = chunk_text("short note", 19_000, 200)
    assert [(c.charStart, c.charEnd, c.byteStart, c.byteEnd) for c in chunks] == [(0, 10, 0, 10)]
