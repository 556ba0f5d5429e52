"""Scorers: log-odds with a Dirichlet prior checked against arithmetic done by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analytics.scoring import SCORERS, get_scorer

A = pd.Series({"war": 3, "peace": 1})
B = pd.Series({"war": 1, "peace": 3, "treaty": 2})


def _row(df: pd.DataFrame, term: str) -> pd.Series:
    return df.set_index("term").loc[term]


def test_log_odds_dirichlet_hand_computed():
    prior = pd.Series({"war": 10, "peace": 10, "treaty": 20})
    df = get_scorer("log_odds_dirichlet")(A, B, prior=prior, alpha0=4.0)
    assert list(df.columns) == ["term", "score", "z"]
    assert [str(t) for t in df.dtypes] == ["string", "Float64", "Float64"]
    # alpha0 = 4 spread as the prior: war 1, peace 1, treaty 2. n_a = 4, n_b = 6.
    # war:    ln((3+1)/(4+4-3-1)) - ln((1+1)/(6+4-1-1)) = ln(4/4) - ln(2/8) = ln 4
    #         var = 1/(3+1) + 1/(1+1) = 0.75
    war = _row(df, "war")
    assert war["score"] == pytest.approx(math.log(4))
    assert war["z"] == pytest.approx(math.log(4) / math.sqrt(0.75))
    # peace:  ln((1+1)/(4+4-1-1)) - ln((3+1)/(6+4-3-1)) = ln(2/6) - ln(4/6) = -ln 2
    #         var = 1/2 + 1/4 = 0.75
    peace = _row(df, "peace")
    assert peace["score"] == pytest.approx(-math.log(2))
    assert peace["z"] == pytest.approx(-math.log(2) / math.sqrt(0.75))
    # treaty: ln((0+2)/(4+4-0-2)) - ln((2+2)/(6+4-2-2)) = ln(2/6) - ln(4/6) = -ln 2
    #         var = 1/2 + 1/4
    assert _row(df, "treaty")["score"] == pytest.approx(-math.log(2))
    assert df["term"].tolist()[0] == "war"  # sorted by z, most typical of A first


def test_default_prior_is_the_pooled_counts_as_pseudo_counts():
    df = get_scorer("log_odds_dirichlet")(A, B)
    # alpha = a + b: war 4, peace 4, treaty 2; alpha0 = 10; n_a = 4, n_b = 6.
    # war: ln((3+4)/(4+10-3-4)) - ln((1+4)/(6+10-1-4)) = ln(7/7) - ln(5/11)
    assert _row(df, "war")["score"] == pytest.approx(-math.log(5 / 11))
    assert _row(df, "war")["z"] == pytest.approx(-math.log(5 / 11) / math.sqrt(1 / 7 + 1 / 5))


def test_uninformative_log_odds_hand_computed():
    df = get_scorer("log_odds")(A, B)
    # alpha = 0.5 per term, 3 terms: alpha0 = 1.5. n_a = 4, n_b = 6.
    # war: ln(3.5/(4+1.5-3.5)) - ln(1.5/(6+1.5-1.5)) = ln(3.5/2) - ln(1.5/6)
    want = math.log(3.5 / 2) - math.log(1.5 / 6)
    assert _row(df, "war")["score"] == pytest.approx(want)
    assert _row(df, "war")["z"] == pytest.approx(want / math.sqrt(1 / 3.5 + 1 / 1.5))


def test_frequency_difference_hand_computed():
    df = get_scorer("frequency_difference")(A, B)
    # war: 3/4 - 1/6 = 7/12; pooled p = 4/10; se = sqrt(0.4 * 0.6 * (1/4 + 1/6))
    war = _row(df, "war")
    assert war["score"] == pytest.approx(7 / 12)
    assert war["z"] == pytest.approx((7 / 12) / math.sqrt(0.24 * (1 / 4 + 1 / 6)))


@pytest.mark.parametrize("name", list(SCORERS))
def test_scorers_are_antisymmetric(name):
    ab = get_scorer(name)(A, B).set_index("term").sort_index()
    ba = get_scorer(name)(B, A).set_index("term").sort_index()
    assert ab["score"].tolist() == pytest.approx((-ba["score"]).tolist())
    assert ab["z"].tolist() == pytest.approx((-ba["z"]).tolist())


def test_unknown_scorer_lists_the_valid_names():
    with pytest.raises(KeyError, match="valid: log_odds_dirichlet, log_odds, frequency_diff"):
        get_scorer("chi2")


def test_empty_counts_keep_the_columns():
    df = get_scorer("log_odds_dirichlet")(pd.Series(dtype="int64"), pd.Series(dtype="int64"))
    assert df.empty and list(df.columns) == ["term", "score", "z"]
