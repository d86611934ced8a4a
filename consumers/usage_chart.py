"""The usage page's chart, drawn on the server: each day a bar of served, refused and rate-limited
requests stacked, as numbers an inline `<svg>` takes (no script, no style attribute: the colours are
the site's CSS classes, as the Content-Security-Policy wants)."""
from dataclasses import dataclass

BAR_STEP, BAR_WIDTH = 20, 14
PLOT_HEIGHT, PLOT_TOP, AXIS_HEIGHT = 140, 10, 20
# Bottom to top, with their CSS class and the words the table's headings use.
KINDS = (("served", "usage-served", "served"), ("refused", "usage-refused", "refused"),
         ("rate_limited", "usage-rate-limited", "rate-limited"))


@dataclass(frozen=True)
class Segment:
    css_class: str
    y: int
    height: int


@dataclass(frozen=True)
class Bar:
    x: int
    segments: list
    label: str  # what a pointer over the bar reads: the day and its counts
    tick: str  # the day under the bar, every seventh one and the last; else ""
    tick_x: int  # where the day is written: under the bar's middle, the last one ending at its right
    tick_anchor: str  # SVG's text-anchor for it


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_bottom: int
    peak: int  # the tallest day's requests: the top of the scale
    bars: list
    bar_width: int = BAR_WIDTH


def usage_chart(days):
    """The chart of `UsageDay`s (oldest first): bar heights to scale with the busiest day."""
    peak = max((day.total for day in days), default=0)
    bottom = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for position, day in enumerate(days):
        counts = {"served": day.served, "refused": day.refused_total, "rate_limited": day.rate_limited}
        segments, top = [], bottom
        for kind, css_class, _ in KINDS:
            height = round(counts[kind] * PLOT_HEIGHT / peak) if peak else 0
            if height:
                top -= height
                segments.append(Segment(css_class=css_class, y=top, height=height))
        words = ", ".join(f"{counts[kind]} {name}" for kind, _, name in KINDS)
        last = position == len(days) - 1
        x = position * BAR_STEP + (BAR_STEP - BAR_WIDTH) // 2
        bars.append(Bar(x=x, segments=segments, label=f"{day.date:%Y-%m-%d}: {words}",
                        tick=f"{day.date:%m-%d}" if last or (len(days) - 1 - position) % 7 == 0 else "",
                        tick_x=x + BAR_WIDTH if last else x + BAR_WIDTH // 2, tick_anchor="end" if last else "middle"))
    return Chart(width=len(days) * BAR_STEP, height=bottom + AXIS_HEIGHT, plot_bottom=bottom, peak=peak,
                 bars=bars)
