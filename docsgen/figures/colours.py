"""How far apart two colours look: CIELAB, the CIEDE2000 difference, and a simulation of the common colour-vision deficiencies.

Used to check that the figures' palettes can be told apart (issue 19): sRGB to CIELAB (D65), CIEDE2000 (Sharma, Wu and
Dalal 2005), and the Machado, Oliveira and Fernandes (2009) matrices at full severity for protanopia, deuteranopia and
tritanopia. A difference of about 2 is just noticeable; 20 or more is clearly distinct.
"""

from __future__ import annotations

import math

from matplotlib.colors import to_rgb

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]

_SRGB_TO_XYZ: Matrix = ((0.4124564, 0.3575761, 0.1804375), (0.2126729, 0.7151522, 0.0721750), (0.0193339, 0.1191920, 0.9503041))
_WHITE: Vector = (0.95047, 1.0, 1.08883)  # D65
DEFICIENCIES: dict[str, Matrix] = {  # Machado et al. 2009, severity 1.0, on linear RGB
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _apply(matrix: Matrix, vector: Vector) -> Vector:
    x, y, z = (sum(m * v for m, v in zip(row, vector, strict=True)) for row in matrix)
    return x, y, z


def lab(colour: str) -> Vector:
    """CIELAB (D65) of a matplotlib colour."""
    x, y, z = _apply(_SRGB_TO_XYZ, tuple(_linear(c) for c in to_rgb(colour)))  # type: ignore[arg-type]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = (f(value / white) for value, white in zip((x, y, z), _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def simulate(colour: str, deficiency: str) -> str:
    """The colour as someone with the named deficiency (a key of DEFICIENCIES) sees it, as #rrggbb."""
    rgb = _apply(DEFICIENCIES[deficiency], tuple(_linear(c) for c in to_rgb(colour)))  # type: ignore[arg-type]
    return "#" + "".join(f"{round(_gamma(c) * 255):02x}" for c in rgb)


def delta_e2000(first: str, second: str) -> float:
    """The CIEDE2000 difference between two matplotlib colours."""
    return delta_e2000_lab(lab(first), lab(second))


def delta_e2000_lab(first: Vector, second: Vector) -> float:
    """The CIEDE2000 difference between two CIELAB colours."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        dhp -= 360 if dhp > 180 else 0
        dhp += 360 if dhp < -180 else 0
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if not c1p * c2p:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    else:
        hp_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_bar - 30))
        + 0.24 * math.cos(math.radians(2 * hp_bar))
        + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
        - 0.20 * math.cos(math.radians(4 * hp_bar - 63))
    )
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dhp_big / s_h) ** 2 + r_t * (dcp / s_c) * (dhp_big / s_h))
