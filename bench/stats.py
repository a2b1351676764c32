"""Small statistics for repeated timings: median and spread. Pure functions, no I/O."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Median and spread of one metric over repeats."""

    median: float
    low: float
    high: float
    count: int

    @property
    def spread(self) -> float:
        """max - min: with 3-5 repeats a range says more than a standard deviation."""
        return self.high - self.low

    @property
    def relative_spread(self) -> float:
        """(max - min) / median; 0 for a single run or a zero median."""
        return self.spread / self.median if self.median else 0.0


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        raise ValueError("no values to summarize")
    return Summary(
        median=float(statistics.median(values)),
        low=float(min(values)),
        high=float(max(values)),
        count=len(values),
    )


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, None when the denominator is not positive."""
    return numerator / denominator if denominator > 0 else None
