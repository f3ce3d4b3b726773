"""Is this response a page at all? Content sniffing before parsing.

A server's Content-Type can lie (a PDF served as text/html) and `clippings extract` gets no
header at all; the first bytes say what a payload really is. `not_a_page(body)` returns why a
body cannot be an HTML page (empty, PDF, an image, an archive, an executable, other binary),
or None. The signatures are the WHATWG MIME sniffing standard's.
"""
from __future__ import annotations

SIGNATURES = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"\x00\x00\x01\x00", "an icon"),
    (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"), (b"\x7fELF", "an ELF executable"),
    (b"%!PS", "a PostScript document"), (b"OggS", "Ogg media"), (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "WebM/Matroska media"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"), (b"wOFF", "a web font"), (b"wOF2", "a web font"),
)
# Bytes that never occur in text (WHATWG "binary data byte"): NUL and most C0 controls.
BINARY_BYTES = frozenset(range(0x00, 0x09)) | {0x0B} | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))


def not_a_page(body: bytes) -> str | None:
    """Why `body` is not an HTML page, or None when it may be one."""
    if not body.strip():
        return "empty body"
    head = body[:1024]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    for magic, name in SIGNATURES:
        if head.startswith(magic):
            return name
    if head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return None  # a UTF-16 byte-order mark: NUL bytes are expected
    if any(byte in BINARY_BYTES for byte in head):
        return "binary data"
    return None
