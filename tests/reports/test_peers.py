"""The anonymised peer comparison: plain functions of scores."""

from __future__ import annotations

from portal.reports.peers import MIN_PEERS, compare, standing


def test_no_standing_below_five_peers():
    assert MIN_PEERS == 5
    assert standing(50.0, [10.0, 20.0, 30.0, 40.0]) is None


def test_standing_counts_lower_scores_and_half_the_ties():
    found = standing(50.0, [10.0, 20.0, 50.0, 60.0, 90.0])
    assert found.percentile == 50  # 2 lower + 1 tie / 2 = 2.5 of 5
    assert found.quartile == 2
    assert found.better_than == 40  # 2 of 5 strictly lower
    assert found.peer_median == 50.0
    assert found.peers == 5


def test_top_and_bottom_quartiles():
    peers = [40.0, 50.0, 60.0, 70.0, 80.0]
    assert standing(95.0, peers).quartile == 1
    assert standing(95.0, peers).percentile == 100
    assert standing(10.0, peers).quartile == 4
    assert standing(10.0, peers).percentile == 0


def test_sections_with_too_few_peer_scores_are_left_out():
    own = {"overall": 70.0, "sections": {"a": 80.0, "b": 60.0, "c": None}}
    peers = [{"overall": 50.0 + n, "sections": {"a": 40.0 + n}} for n in range(4)]
    peers.append({"overall": 90.0, "sections": {"a": 90.0, "b": 10.0}})
    comparison = compare(own, peers)
    assert comparison.peers == 5
    assert set(comparison.sections) == {"a"}  # b: one peer scored it; c: not scored
    assert comparison.overall.percentile == 80


def test_nothing_is_compared_below_five_peers():
    own = {"overall": 70.0, "sections": {"a": 80.0}}
    peers = [{"overall": 50.0, "sections": {"a": 40.0}}] * 4
    assert compare(own, peers) is None


def test_a_tie_with_every_peer_is_the_middle_not_the_bottom():
    found = standing(100.0, [100.0] * 6)
    assert (found.percentile, found.quartile, found.better_than) == (50, 2, 0)
