"""The 0–100 walkability score, modelled on the public description of the Walk Score method.

(Walk Score is a trademark of Redfin; ours is "walkability" and only follows the
published idea.) Points come from the nearest amenities of each category, weighted
by category and rank, and decay with the *walking time along the street network*:
full value up to 5 minutes, nothing from 30 minutes. Low intersection density and
long blocks each take off up to 5 %. Every number below is a default that the
``GEO_WALKABILITY`` setting can override (see README).
"""

import math
from dataclasses import dataclass, field, fields, replace

# Weights for the 1st, 2nd, ... nearest place of each group (2010 white paper; total 15).
DEFAULT_WEIGHTS: dict[str, tuple[float, ...]] = {
    "grocery": (3.0,),
    "eat_drink": (0.75, 0.45, 0.25, 0.25, 0.225, 0.225, 0.225, 0.225, 0.2, 0.2),
    "shopping": (0.5, 0.45, 0.4, 0.35, 0.3),
    "cafe": (1.25, 0.75),
    "errands": (1.0,),
    "park": (1.0,),
    "school": (1.0,),
    "library": (1.0,),
    "entertainment": (1.0,),
}
# Which of our place categories feed each weight group (convenience stores do not count).
DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    "grocery": ("grocery",),
    "eat_drink": ("restaurant", "bar"),
    "shopping": ("shopping",),
    "cafe": ("cafe",),
    "errands": ("errands",),
    "park": ("park",),
    "school": ("school",),
    "library": ("library",),
    "entertainment": ("entertainment",),
}
# (walking minutes, share of full value); linear in between, zero after the last.
DEFAULT_DECAY = ((5.0, 1.0), (10.0, 0.75), (15.0, 0.6), (20.0, 0.5), (30.0, 0.125))
BANDS = (
    (90, "Walker's paradise"),
    (70, "Very walkable"),
    (50, "Somewhat walkable"),
    (25, "Car-dependent"),
    (0, "Car-dependent"),
)


@dataclass(frozen=True)
class WalkabilityFormula:
    weights: dict[str, tuple[float, ...]] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    groups: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_GROUPS))
    decay: tuple[tuple[float, float], ...] = DEFAULT_DECAY
    # Intersections per square mile: no penalty from `density_full`, the most below `density_zero`.
    density_full: float = 200.0
    density_zero: float = 60.0
    # Average block length in metres: no penalty up to `block_full`, the maximum from `block_zero`.
    block_full: float = 120.0
    block_zero: float = 250.0
    max_penalty: float = 0.05  # each
    radius_m: float = 800.0  # where intersections and blocks are counted

    @classmethod
    def from_overrides(cls, overrides: dict) -> "WalkabilityFormula":
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"Unknown GEO_WALKABILITY keys: {sorted(unknown)}")
        formula = cls()
        values = dict(overrides)
        if "weights" in values:
            values["weights"] = formula.weights | {
                k: tuple(v) for k, v in values["weights"].items()
            }
        if "decay" in values:
            values["decay"] = tuple(tuple(p) for p in values["decay"])
        return replace(formula, **values)

    @property
    def total_weight(self) -> float:
        return sum(sum(w) for w in self.weights.values())

    def decay_at(self, minutes: float) -> float:
        previous_m, previous_v = 0.0, 1.0
        for point_m, value in self.decay:
            if minutes <= point_m:
                if point_m == previous_m:
                    return value
                share = (minutes - previous_m) / (point_m - previous_m)
                return previous_v + share * (value - previous_v)
            previous_m, previous_v = point_m, value
        return 0.0

    def penalty(
        self, density_per_sq_mi: float | None, block_m: float | None
    ) -> tuple[float, float]:
        def ramp(value, full, zero):
            if value is None:
                return 0.0
            span = zero - full
            share = (value - full) / span if span else 0.0
            return self.max_penalty * min(1.0, max(0.0, share))

        return (
            ramp(density_per_sq_mi, self.density_full, self.density_zero),
            ramp(block_m, self.block_full, self.block_zero),
        )

    def score(
        self,
        minutes_by_category: dict[str, list[float]],
        density_per_sq_mi: float | None,
        block_m: float | None,
    ) -> dict:
        """The score and how it was reached.

        :param minutes_by_category: walking minutes to each place, per place category.
        """
        raw = 0.0
        parts = {}
        for group, weights in self.weights.items():
            minutes = sorted(
                m
                for category in self.groups.get(group, ())
                for m in minutes_by_category.get(category, [])
            )
            points = sum(w * self.decay_at(m) for w, m in zip(weights, minutes, strict=False))
            parts[group] = round(points, 3)
            raw += points
        base = 100.0 * raw / self.total_weight if self.total_weight else 0.0
        density_penalty, block_penalty = self.penalty(density_per_sq_mi, block_m)
        score = max(0, min(100, math.floor(base * (1 - density_penalty - block_penalty) + 0.5)))
        return {
            "score": score,
            "band": band(score),
            "points": parts,
            "intersection_density_per_sq_mi": None
            if density_per_sq_mi is None
            else round(density_per_sq_mi),
            "average_block_m": None if block_m is None else round(block_m),
            "penalties": {
                "intersection_density": round(density_penalty, 4),
                "block_length": round(block_penalty, 4),
            },
        }


def band(score: int) -> str:
    return next(label for floor, label in BANDS if score >= floor)
