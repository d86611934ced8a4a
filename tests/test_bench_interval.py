"""`make bench` says how far one run's median ratio can be trusted (`bench.run.median_interval`)."""
import statistics

from bench.run import median_interval


def test_the_interval_holds_the_median_and_is_the_same_on_every_call():
    ratios = [0.67, 0.86, 0.88, 0.89, 0.94, 0.96, 1.01, 1.03, 1.15, 1.16, 0.96]
    low, high = median_interval(ratios)
    assert low <= statistics.median(ratios) <= high
    assert low < high
    assert median_interval(ratios) == [low, high]


def test_more_rounds_of_the_same_spread_give_a_narrower_interval():
    rounds = [0.80, 0.85, 0.90, 0.95, 1.00]
    few_low, few_high = median_interval(rounds * 2)
    many_low, many_high = median_interval(rounds * 8)
    assert many_high - many_low < few_high - few_low


def test_rounds_that_agree_leave_no_doubt():
    assert median_interval([0.9] * 21) == [0.9, 0.9]
    assert median_interval([0.93]) == [0.93, 0.93]
