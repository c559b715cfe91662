"""Character classes for the cell rules, as regular-expression constants.

Generated from Python's Unicode database by `generate()` (run by `python -m docsgen`); a test fails when
these constants differ from what generate() gives, so they never go stale, and no run pays for computing them.
"""

from __future__ import annotations

UNICODE_VERSION = "14.0.0"
# Characters NFC changes on their own (composition exclusions, singletons): with \p{M} and the Hangul jamo
# that compose with a preceding syllable, every character that can make a text non-NFC.
NFC_CHANGES = "\\x{340}-\\x{341}\\x{343}-\\x{344}\\x{374}\\x{37E}\\x{387}\\x{958}-\\x{95F}\\x{9DC}-\\x{9DD}\\x{9DF}\\x{A33}\\x{A36}\\x{A59}-\\x{A5B}\\x{A5E}\\x{B5C}-\\x{B5D}\\x{F43}\\x{F4D}\\x{F52}\\x{F57}\\x{F5C}\\x{F69}\\x{F73}\\x{F75}-\\x{F76}\\x{F78}\\x{F81}\\x{F93}\\x{F9D}\\x{FA2}\\x{FA7}\\x{FAC}\\x{FB9}\\x{1F71}\\x{1F73}\\x{1F75}\\x{1F77}\\x{1F79}\\x{1F7B}\\x{1F7D}\\x{1FBB}\\x{1FBE}\\x{1FC9}\\x{1FCB}\\x{1FD3}\\x{1FDB}\\x{1FE3}\\x{1FEB}\\x{1FEE}-\\x{1FEF}\\x{1FF9}\\x{1FFB}\\x{1FFD}\\x{2000}-\\x{2001}\\x{2126}\\x{212A}-\\x{212B}\\x{2329}-\\x{232A}\\x{2ADC}\\x{F900}-\\x{FA0D}\\x{FA10}\\x{FA12}\\x{FA15}-\\x{FA1E}\\x{FA20}\\x{FA22}\\x{FA25}-\\x{FA26}\\x{FA2A}-\\x{FA6D}\\x{FA70}-\\x{FAD9}\\x{FB1D}\\x{FB1F}\\x{FB2A}-\\x{FB36}\\x{FB38}-\\x{FB3C}\\x{FB3E}\\x{FB40}-\\x{FB41}\\x{FB43}-\\x{FB44}\\x{FB46}-\\x{FB4E}\\x{1D15E}-\\x{1D164}\\x{1D1BB}-\\x{1D1C0}\\x{2F800}-\\x{2FA1D}"
# Format characters (Cf: zero-width, bidirectional controls, soft hyphen, BOM, tags ...), line and paragraph
# separators (Zl, Zp) and noncharacters.
INVISIBLE = "\\x{AD}\\x{600}-\\x{605}\\x{61C}\\x{6DD}\\x{70F}\\x{890}-\\x{891}\\x{8E2}\\x{180E}\\x{200B}-\\x{200F}\\x{2028}-\\x{202E}\\x{2060}-\\x{2064}\\x{2066}-\\x{206F}\\x{FDD0}-\\x{FDEF}\\x{FEFF}\\x{FFF9}-\\x{FFFB}\\x{FFFE}-\\x{FFFF}\\x{110BD}\\x{110CD}\\x{13430}-\\x{13438}\\x{1BCA0}-\\x{1BCA3}\\x{1D173}-\\x{1D17A}\\x{1FFFE}-\\x{1FFFF}\\x{2FFFE}-\\x{2FFFF}\\x{3FFFE}-\\x{3FFFF}\\x{4FFFE}-\\x{4FFFF}\\x{5FFFE}-\\x{5FFFF}\\x{6FFFE}-\\x{6FFFF}\\x{7FFFE}-\\x{7FFFF}\\x{8FFFE}-\\x{8FFFF}\\x{9FFFE}-\\x{9FFFF}\\x{AFFFE}-\\x{AFFFF}\\x{BFFFE}-\\x{BFFFF}\\x{CFFFE}-\\x{CFFFF}\\x{DFFFE}-\\x{DFFFF}\\x{E0001}\\x{E0020}-\\x{E007F}\\x{EFFFE}-\\x{EFFFF}\\x{FFFFE}-\\x{FFFFF}\\x{10FFFE}-\\x{10FFFF}"


def ranges(code_points: list[int]) -> str:
    """A regex character-class body for sorted code points, as \\x{..}-\\x{..} ranges."""
    spans: list[list[int]] = []
    for c in code_points:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in spans)


def generate() -> dict[str, str]:
    import unicodedata

    every = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    return {
        "UNICODE_VERSION": unicodedata.unidata_version,
        "NFC_CHANGES": ranges([c for c in every if unicodedata.normalize("NFC", chr(c)) != chr(c)]),
        "INVISIBLE": ranges([c for c in every if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp")
                             or 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFE) == 0xFFFE]),
    }


def render() -> str:
    """This module's source with freshly generated constants."""
    from pathlib import Path

    text = Path(__file__).read_text("utf-8")
    for name, value in generate().items():
        start = text.index(f'\n{name} = "') + len(f'\n{name} = "')
        text = text[:start] + value.replace("\\", "\\\\") + text[text.index('"\n', start):]
    return text
