"""What a Han character is, defined once: CJK Unified Ideographs with Extensions A to I and compatibility ideographs."""

from __future__ import annotations

# Regex class body (use inside [...]): Extension A, the URO block, compatibility ideographs, then Extensions B to I
# and the compatibility supplement, which all lie in U+20000..U+323AF. 〇 (U+3007) is a Han numeral, not in here.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))


def is_han(ch: str) -> bool:
    """True for one CJK ideograph, including the extensions and compatibility forms."""
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _RANGES)
