"""Small statistics for comparing offices of very different sizes."""

from math import sqrt

Z_95 = 1.959963984540054


def wilson_interval(successes, n, z=Z_95):
    """The Wilson score interval of a share (successes out of n), as percentages (low, high);
    None when n is 0. Unlike the normal approximation it stays within 0–100 % and keeps a
    sensible width for a small ward with few answers, so that a small ward is not ranked on
    noise (Wilson 1927; Brown, Cai and DasGupta 2001 recommend it for any n)."""
    if not n:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)


def percent(part, whole):
    """part ÷ whole in %, one decimal; None when whole is 0."""
    if not whole:
        return None
    return round(100 * part / whole, 1)
