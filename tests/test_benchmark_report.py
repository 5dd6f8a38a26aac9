"""The stock-mocks report's derived numbers, from the medians `make bench` measured."""

import pytest

from benchmarks.peers import Comparison, ProcessRun, added_cost_scaling, report_stock


def comparison(pairs: int, hand: float, pair: float) -> Comparison:
    """One N with one run per side (so the medians are these numbers)."""
    return Comparison(
        pairs, {"hand": [ProcessRun(hand, hand, 0.0)], "pair": [ProcessRun(pair, pair, 0.0)]}
    )


# make bench at 68b308c (docs/BENCHMARKS.md).
RESULTS = [comparison(100, 0.863, 1.108), comparison(1000, 11.800, 13.987)]


def test_what_the_pair_adds_per_pair_is_compared_between_100_and_1000_pairs() -> None:
    """(13.987 - 11.800) / 1000 against (1.108 - 0.863) / 100: 2.19 ms against 2.45 ms."""
    assert added_cost_scaling(RESULTS) == pytest.approx(0.8927, abs=1e-3)
    assert added_cost_scaling(RESULTS[:1]) is None


def test_the_report_states_it_beside_the_whole_programs_scaling() -> None:
    """The whole-program lines keep their verdicts; the added cost has no target of its own."""
    report = report_stock(RESULTS, 1)
    assert "- pair: cost per pair at N=1000 / at N=100 = 1.26 wall-clock" in report
    assert "- hand: cost per pair at N=1000 / at N=100 = 1.37 wall-clock" in report
    assert "(pair minus hand-written), per pair at N=1000 / at N=100 = 0.89 wall-clock" in report
