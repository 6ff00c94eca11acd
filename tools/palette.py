"""Measure the course's colours: contrast on white, and how far apart they stay
for readers with a colour-vision deficiency.

    python -m tools.palette

For every colour the course draws with (``helpers.plotting``), the WCAG 2.1
contrast ratio against white (success criterion 1.4.11 asks 3:1 for
graphical objects). Then, for normal vision and for simulated protanopia,
deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity
1.0), the smallest CIEDE2000 colour difference between two cluster colours,
or between a cluster colour and the above-cut blue, the cut line or the
grey, and the pair that gives it. tests/test_style.py checks the same
numbers.
"""

from __future__ import annotations

import itertools
import sys

import numpy as np

from helpers import plotting

#: Machado et al. (2009) simulation matrices at severity 1.0, applied to
#: linear RGB: protanopia, deuteranopia, tritanopia.
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal",) + tuple(MACHADO)

_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(colour):
    """The linear RGB values (0 to 1) of a hex colour such as ``'#D55E00'``."""
    text = colour.lstrip("#")
    srgb = np.array([int(text[i:i + 2], 16) for i in (0, 2, 4)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def contrast_on_white(colour):
    """WCAG 2.1 contrast ratio of `colour` against white, from 1 to 21."""
    luminance = float(linear_rgb(colour) @ np.array([0.2126, 0.7152, 0.0722]))
    return 1.05 / (luminance + 0.05)


def simulate(colour, vision):
    """Linear RGB of `colour` as seen with `vision` (a key of MACHADO, or 'normal')."""
    rgb = linear_rgb(colour)
    return rgb if vision == "normal" else np.clip(MACHADO[vision] @ rgb, 0, 1)


def lab(linear):
    """CIELAB (D65) of a linear RGB triple."""
    xyz = _RGB_TO_XYZ @ linear / _D65
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    """The CIEDE2000 colour difference of two CIELAB colours (about 2.3: just noticeable)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = h2 - h1
    if c1 * c2 == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    rotation = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    r_t = -np.sin(np.radians(2 * rotation)) * 2 * np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2
                         + r_t * (d_c / s_c) * (d_h / s_h)))


def difference(colour1, colour2, vision="normal"):
    """CIEDE2000 difference of two hex colours as seen with `vision`."""
    return ciede2000(lab(simulate(colour1, vision)), lab(simulate(colour2, vision)))


def course_colours():
    """Every colour the course draws with, by role."""
    colours = {f"cluster {i + 1}": c for i, c in enumerate(plotting.PALETTE)}
    colours.update({
        "above the cut": plotting.ABOVE_CUT_COLOUR,
        "cut line": plotting.CUT_LINE_COLOUR,
        "context grey": plotting.CONTEXT_GREY,
    })
    return colours


def pairs_to_tell_apart():
    """Every pair that a reader must tell apart: two cluster colours, or a
    cluster colour and one of the other three."""
    others = (plotting.ABOVE_CUT_COLOUR, plotting.CUT_LINE_COLOUR, plotting.CONTEXT_GREY)
    return (list(itertools.combinations(plotting.PALETTE, 2))
            + [(c, o) for c in plotting.PALETTE for o in others])


def smallest_differences():
    """For each vision: (smallest CIEDE2000 difference, the pair that gives it)."""
    result = {}
    for vision in VISIONS:
        result[vision] = min((difference(a, b, vision), (a, b)) for a, b in pairs_to_tell_apart())
    return result


def main():
    print("contrast against white (WCAG 2.1; graphical objects need 3:1)")
    for role, colour in course_colours().items():
        print(f"  {role:<14} {colour}  {contrast_on_white(colour):5.2f}:1")
    print("smallest CIEDE2000 difference between colours a reader must tell apart")
    for vision, (value, (a, b)) in smallest_differences().items():
        print(f"  {vision:<13} {value:5.1f}  ({a} and {b})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
