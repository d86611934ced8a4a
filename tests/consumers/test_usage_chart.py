"""The usage page's chart (`consumers.usage_chart`): bars to scale with the busiest day, stacked served,
refused, rate-limited, a day written under every seventh bar and the last."""
from datetime import date, timedelta

from consumers.usage import UsageDay
from consumers.usage_chart import PLOT_HEIGHT, usage_chart


def days(*counts):
    start = date(2026, 11, 1)
    return [UsageDay(date=start + timedelta(days=number), served=served, rate_limited=limited,
                     refused={"invalid_credentials": refused} if refused else {})
            for number, (served, refused, limited) in enumerate(counts)]


def test_the_busiest_day_fills_the_plot_and_the_others_scale():
    chart = usage_chart(days((10, 0, 0), (5, 3, 2), (0, 0, 0)))
    assert chart.peak == 10
    busiest, mixed, empty = chart.bars
    assert [segment.height for segment in busiest.segments] == [PLOT_HEIGHT]
    assert [(segment.css_class, segment.height) for segment in mixed.segments] == [
        ("usage-served", PLOT_HEIGHT // 2), ("usage-refused", 42), ("usage-rate-limited", 28)]
    bottom = chart.plot_bottom
    assert mixed.segments[0].y + mixed.segments[0].height == bottom  # stacked from the axis up
    assert mixed.segments[1].y + mixed.segments[1].height == mixed.segments[0].y
    assert empty.segments == []
    assert mixed.label == "2026-11-02: 5 served, 3 refused, 2 rate-limited"


def test_no_traffic_draws_no_bar():
    chart = usage_chart(days(*[(0, 0, 0)] * 30))
    assert chart.peak == 0 and all(bar.segments == [] for bar in chart.bars)
    assert [bar.tick for bar in chart.bars if bar.tick] == ["11-02", "11-09", "11-16", "11-23", "11-30"]
    assert chart.bars[-1].tick_anchor == "end"
