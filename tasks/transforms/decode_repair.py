"""Undo mojibake: UTF-8 bytes that were once decoded as cp1252/Latin-1 or as GBK, then saved again (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from tasks.transforms.decode_scoring import char_stats, score_decoding

# A Latin-1/cp1252 lead char of a UTF-8 sequence followed by a continuation byte read the same way.
_LATIN1_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_CP1252_TO_LATIN1 = {
    ord(ch): b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", errors="ignore"))
}


# Texts up to this long skip the numpy prefilter and are re-encoded before their chars are counted.
_REENCODE_FIRST_CHARS = 4096
# Chars per numpy pass: a few MB of temporaries whatever the text's length.
_LEAD_CHUNK = 1 << 20


def _has_latin1_lead(text: str) -> bool:
    """Whether the text holds a char that can open Latin-1 mojibake (U+00C2..U+00F4): a numpy pass over its UTF-16
    code units is 5x faster than the regex's scan, and most pages (Chinese ones) hold none, so skip the regex."""
    for at in range(0, len(text), _LEAD_CHUNK):
        chunk = text[at : at + _LEAD_CHUNK].encode("utf-16-le", "surrogatepass")
        units = np.frombuffer(chunk, dtype=np.uint16)
        if ((units >= 0xC2) & (units <= 0xF4)).any():
            return True
    return False


def _redecode_utf8(text: str, encode: Callable[[str], bytes]) -> tuple[str, int] | None:
    """Text's bytes under a wrong codec, read again as UTF-8; with the count of chars lost for good."""
    try:
        data = encode(text)
    except UnicodeError:
        return None
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    if "\ufffd" not in text:
        return None  # nothing was lost, so the bytes should have been clean UTF-8
    # The first decode replaced bytes it could not map: recover the rest, the lost chars stay U+FFFD.
    fixed = data.decode("utf-8", errors="replace")
    return fixed, fixed.count("\ufffd")


def _to_latin1(text: str) -> bytes:
    return text.translate(_CP1252_TO_LATIN1).replace("\ufffd", "").encode("latin-1")


def _to_gb18030(text: str) -> bytes:
    return text.replace("\ufffd", "").encode("gb18030")


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Undo UTF-8 that was decoded as cp1252/Latin-1 or as GBK; return the text and what was repaired."""
    # The numpy prefilter pays on a page; a short text's regex scan costs less than the prefilter's set-up.
    short = len(text) <= _REENCODE_FIRST_CHARS
    if (short or _has_latin1_lead(text)) and _LATIN1_MOJIBAKE.search(text):
        # Strict UTF-8 over the re-encoded chars is the evidence: real Latin-1 text is almost never valid UTF-8.
        found = _redecode_utf8(text, _to_latin1)
        if (
            found
            and char_stats(found[0]).bad <= found[1]
            and found[1] <= 0.25 * char_stats(found[0]).nonascii
        ):
            return found[0], "utf-8 read as cp1252" + (" (lossy)" if found[1] else "")
    # Either test may come first (both must pass): on a short text the C-level re-encode, which almost every real
    # Chinese text fails, is cheaper than counting its chars; on a long one counting a prefix is cheaper.
    found = _redecode_utf8(text, _to_gb18030) if short else None
    if short and not found:
        return text, None
    stats = char_stats(text)
    if stats.han < 2 or stats.zh_score >= 0.5:
        return text, None
    found = found or _redecode_utf8(text, _to_gb18030)
    if not found:
        return text, None
    fixed, lost = found
    fixed_stats = char_stats(fixed)
    before = score_decoding(stats, "gb18030")
    after = max(score_decoding(fixed_stats, codec) for codec in ("utf-8", "euc_jp", "euc_kr"))
    # Only a clearly better reading counts: a rare-but-real Hanzi text re-encodes to invalid UTF-8 anyway.
    if (
        fixed_stats.nonascii >= 2
        and fixed_stats.bad <= lost <= 0.25 * fixed_stats.nonascii
        and after >= before + 0.3
    ):
        return fixed, "utf-8 read as gbk" + (" (lossy)" if lost else "")
    return text, None
