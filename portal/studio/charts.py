"""Bar charts drawn on the server as SVG: read at a glance, no JavaScript needed.

A chart is data for ``studio/_bar_chart.html``: one bar per row, widths as a share of
the longest bar, each with the text it stands for (the table next to it is the
text alternative, and the SVG carries its own title and description).
"""

from dataclasses import dataclass

LABEL_WIDTH = 190
BAR_SPACE = 330
ROW_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    width: float
    y: int
    series: int = 0  # 0 or 1: the two colours of a paired chart


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: tuple[Bar, ...]
    legend: tuple[str, ...] = ()

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT + 8

    label_width = LABEL_WIDTH
    bar_space = BAR_SPACE


def bar_chart(title: str, description: str, rows: list[tuple[str, float, str]]) -> BarChart:
    """One bar per (label, value, text), scaled to the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    bars = tuple(
        Bar(label, text, round(BAR_SPACE * value / top, 1), i * ROW_HEIGHT + 4)
        for i, (label, value, text) in enumerate(rows)
    )
    return BarChart(title, description, bars)


def paired_chart(
    title: str, description: str, rows: list[tuple[str, float, float]], legend: tuple[str, str]
) -> BarChart:
    """Two bars per label (shares between 0 and 1), e.g. leased vs lost."""
    bars = []
    for i, (label, first, second) in enumerate(rows):
        y = i * 2 * ROW_HEIGHT + 4
        for series, value in enumerate((first, second)):
            bars.append(
                Bar(
                    label if series == 0 else "",
                    f"{legend[series]} {value * 100:.0f}%",
                    round(BAR_SPACE * value, 1),
                    y + series * (ROW_HEIGHT - 4),
                    series,
                )
            )
    return BarChart(title, description, tuple(bars), legend)
