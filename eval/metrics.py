"""Precision, recall, F1 and a fixed-width report line."""

from __future__ import annotations

from dataclasses import dataclass


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_line(name: str, precision: float, recall: float, detail: str) -> str:
    """One fixed-width report line: name, P, R, F1 and what was counted."""
    return f"{name:<44} P={precision:.3f} R={recall:.3f} F1={f1(precision, recall):.3f}  ({detail})"


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def line(self, name: str) -> str:
        return score_line(name, self.precision, self.recall, f"tp={self.tp} fp={self.fp} fn={self.fn}")


def prf(gold: set, pred: set) -> PRF:
    return PRF(len(gold & pred), len(pred - gold), len(gold - pred))
