"""Is it text? Uploads and fetched bodies are judged by their bytes, never by their file name.

A PNG, ZIP or ELF renamed ``report.txt`` is refused with a message naming what it really is; text is
decoded without ever failing (BOMs honoured, invalid UTF-8 read as cp1252, NULs dropped). Nothing
is executed or rendered: the bytes only ever become a ``str``.
"""

from __future__ import annotations

import codecs

from index.errors import SourceError

# (prefix, offset, what it is): common binary formats, by signatures no text starts with. Formats
# whose signature is plain letters (MZ, RIFF, ID3, BZh) are caught by their NUL and control bytes.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"ftyp", 4, "an MP4/MOV/HEIC file"),
    (b"%PDF-", 0, "a PDF"),
    (b"PK\x03\x04", 0, "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", 0, "a ZIP archive"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"\xfd7zXZ\x00", 0, "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\x7fELF", 0, "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", 0, "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", 0, "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", 0, "a Mach-O or Java class file"),
    (b"\x00asm", 0, "a WebAssembly module"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Office document"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27}  # tab, newlines, form feed, ESC are seen in text


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` is (e.g. "a PNG image"), or None if it looks like text."""
    if _bom(data) is not None:
        return None
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (it contains NUL bytes)"
    if head and sum(b in _CONTROL for b in head) > len(head) * 0.05:
        return "binary data (it is mostly control bytes)"
    return None


def refuse_binary(data: bytes, name: str) -> None:
    """Raise SourceError naming the format if ``data`` is not text, whatever ``name`` says."""
    kind = binary_kind(data)
    if kind is not None:
        raise SourceError(f"{name}: this is {kind}, not text; only text, HTML, feeds and JSONL are read")


def decode_text(data: bytes) -> str:
    """Bytes to text without failing: a BOM's encoding (UTF-8/16/32), else UTF-8, else cp1252.

    NUL characters are dropped: they end strings in C code and break FTS, and no news text has them.
    """
    found = _bom(data)
    if found is not None:
        encoding, skip = found
        text = data[skip:].decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\x00", "")
