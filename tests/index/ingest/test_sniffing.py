"""Is it text? Binary formats named by their bytes whatever the file name says; text decoded without failing."""

from __future__ import annotations

import codecs
import re

import pytest

from index.errors import SourceError
from index.ingest.sniffing import binary_kind, decode_text, refuse_binary


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "a PNG image"),
        (b"GIF89a" + b"\1" * 10, "a GIF image"),
        (b"\xff\xd8\xff\xe0JFIF", "a JPEG image"),
        (b"\0\0\0\x18ftypmp42", "an MP4/MOV/HEIC file"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF"),
        (b"PK\x03\x04\x14\0", "a ZIP archive (or an Office document)"),
        (b"\x1f\x8b\x08\0", "a gzip archive"),
        (b"\x7fELF\x02\x01\x01", "an ELF executable"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"MZ\x90\x00\x03\x00", "binary data (it contains NUL bytes)"),  # a Windows .exe: letters, then NULs
        (bytes(range(1, 9)) * 4, "binary data (it is mostly control bytes)"),
    ],
)
def test_binary_formats_are_named(data: bytes, kind: str) -> None:
    assert binary_kind(data) == kind
    with pytest.raises(SourceError, match=re.escape(f"report.txt: this is {kind}, not text")):
        refuse_binary(data, "report.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Shelling hit the port, the mayor said.\n",
        "Обстрел Тарна, заявил мэр.\tДва дома.\r\n".encode(),
        b"Colour codes \x1b[1mbold\x1b[0m and a form feed \x0c stay text",
        codecs.BOM_UTF16_LE + "Тарн".encode("utf-16-le"),  # NUL bytes, but a BOM says it is UTF-16
        b"A line with one stray control byte \x07 among many letters" * 3,
    ],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert binary_kind(data) is None
    refuse_binary(data, "report.txt")  # does not raise


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"plain ascii", "plain ascii"),
        ("Ստեփանակերտ".encode(), "Ստեփանակերտ"),
        (codecs.BOM_UTF8 + b"with a BOM", "with a BOM"),
        (codecs.BOM_UTF16_LE + "Тарн".encode("utf-16-le"), "Тарн"),
        (codecs.BOM_UTF16_BE + "Тарн".encode("utf-16-be"), "Тарн"),
        (codecs.BOM_UTF32_LE + "Тарн".encode("utf-32-le"), "Тарн"),  # not mistaken for UTF-16 LE
        ("café – “quoted”".encode("cp1252"), "café – “quoted”"),  # not UTF-8: read as cp1252
        (b"NUL\x00s are\x00 dropped", "NULs are dropped"),
    ],
)
def test_decode_text(data: bytes, text: str) -> None:
    assert decode_text(data) == text


def test_decoding_never_raises_on_broken_bytes() -> None:
    # Invalid in a BOM's encoding: replacement characters, not an exception.
    broken = codecs.BOM_UTF16_LE + b"\x00\xd8"  # a lone high surrogate
    assert decode_text(broken) == "\ufffd"
    assert decode_text(b"\x81\x8d\x8f") == "\ufffd\ufffd\ufffd"  # undefined in cp1252 too
