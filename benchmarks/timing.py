"""Shared helpers for the benchmarks: timing, percentiles, ratios and a machine description.

These machines are noisy, so every benchmark measures a baseline in the same run and reports
its targets as a ratio to it, besides the absolute median and p95.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        # Nearest-rank percentile: the smallest sample with at least 95% of samples at or below.
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]

    def row(self, baseline: Timing | None = None) -> str:
        ratio = f"{self.p95 / baseline.p95:.2f}" if baseline and baseline.p95 else "-"
        return (
            f"| {self.name} | {len(self.samples_ms)} | {self.median:.1f} | {self.p95:.1f} | "
            f"{ratio} |"
        )


def measure(name: str, call: Callable[[], object], repeat: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def machine() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(
                (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?"
            )
    except OSError:
        model = platform.processor() or "?"
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


TABLE_HEADER = "| what | n | median ms | p95 ms | p95 ratio to baseline |\n|---|---|---|---|---|"
