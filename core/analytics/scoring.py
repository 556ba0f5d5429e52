"""Scorers that say which terms distinguish one set of counts from another.

Counting is separate from scoring: every scorer takes two count Series indexed by term and
returns the same table, so pages and tests can swap them by name through :data:`SCORERS`.

The log-odds ratio with an informative Dirichlet prior follows Monroe, Colaresi & Quinn (2008),
"Fightin' Words", section 3.5: with counts ``y_a``, ``y_b`` (totals ``n_a``, ``n_b``) and prior
pseudo-counts ``alpha_w`` (total ``alpha0``)::

    delta_w = ln((y_a + alpha_w) / (n_a + alpha0 - y_a - alpha_w))
            - ln((y_b + alpha_w) / (n_b + alpha0 - y_b - alpha_w))
    var(delta_w) ~= 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w)
    z_w = delta_w / sqrt(var(delta_w))

It is a dozen lines of arithmetic, written here so the definition is visible and tested on a
hand-computed example (no maintained library ships it without a heavy dependency).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from core.analytics.query.engine import typed

Scorer = Callable[..., pd.DataFrame]
# The arithmetic on aligned arrays: (y_a, y_b, prior or None, alpha0 or None) -> (score, z).
ArrayScorer = Callable[..., tuple[np.ndarray, np.ndarray]]
_COLUMNS = {"term": "string", "score": "Float64", "z": "Float64"}


def _align(counts_a: pd.Series, counts_b: pd.Series) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    terms = counts_a.index.union(counts_b.index)
    ya = counts_a.reindex(terms, fill_value=0).to_numpy(dtype="float64")
    yb = counts_b.reindex(terms, fill_value=0).to_numpy(dtype="float64")
    return terms, ya, yb


def _dirichlet_log_odds(ya: np.ndarray, yb: np.ndarray, alpha: np.ndarray):
    alpha0 = alpha.sum()
    na, nb = ya.sum(), yb.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((ya + alpha) / (na + alpha0 - ya - alpha)) - np.log(
            (yb + alpha) / (nb + alpha0 - yb - alpha)
        )
        var = 1.0 / (ya + alpha) + 1.0 / (yb + alpha)
        return delta, delta / np.sqrt(var)


def log_odds_dirichlet_arrays(ya, yb, prior=None, alpha0=None):
    """Array form of :func:`score_log_odds_dirichlet` (``prior`` aligned with ``ya``)."""
    background = (ya + yb) if prior is None else np.asarray(prior, dtype="float64")
    total = background.sum()
    scale = 1.0 if alpha0 is None or total == 0 else alpha0 / total
    return _dirichlet_log_odds(ya, yb, background * scale)


def log_odds_arrays(ya, yb, prior=None, alpha0=None):
    """Array form of :func:`score_log_odds`."""
    v = len(ya)
    per_term = 0.5 if alpha0 is None or v == 0 else alpha0 / v
    return _dirichlet_log_odds(ya, yb, np.full(v, per_term))


def frequency_difference_arrays(ya, yb, prior=None, alpha0=None):
    """Array form of :func:`score_frequency_difference`."""
    na, nb = ya.sum(), yb.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = ya / na - yb / nb
        pooled = (ya + yb) / (na + nb)
        se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        z = np.where(se > 0, diff / se, np.nan)
    return diff, z


def _score(
    arrays: ArrayScorer,
    counts_a: pd.Series,
    counts_b: pd.Series,
    prior: pd.Series | None,
    alpha0: float | None,
) -> pd.DataFrame:
    terms, ya, yb = _align(counts_a, counts_b)
    aligned = None if prior is None else prior.reindex(terms, fill_value=0).to_numpy("float64")
    score, z = arrays(ya, yb, aligned, alpha0)
    df = pd.DataFrame({"term": terms.astype(str), "score": score, "z": z})
    df = df.sort_values(["z", "term"], ascending=[False, True], na_position="last")
    return typed(df, _COLUMNS)


def score_log_odds_dirichlet(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior: pd.Series | None = None,
    alpha0: float | None = None,
) -> pd.DataFrame:
    """Log-odds ratio of a vs b with an informative Dirichlet prior (Monroe et al. 2008).

    ``prior`` holds background counts (default: a + b pooled); ``alpha_w`` is ``prior_w``
    scaled so the pseudo-counts sum to ``alpha0`` (default: the prior's own total, i.e. the
    background counts are the pseudo-counts). Terms missing from the prior get none.

    Returns: one row per term of a or b: term, score (delta, the log-odds ratio), z; sorted by
    z descending (most typical of a first).
    """
    return _score(log_odds_dirichlet_arrays, counts_a, counts_b, prior, alpha0)


def score_log_odds(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior: pd.Series | None = None,
    alpha0: float | None = None,
) -> pd.DataFrame:
    """Log-odds ratio with an uninformative Dirichlet prior: ``alpha0 / V`` per term.

    ``prior`` is ignored. The default ``alpha0`` is ``V / 2`` (add one half to each count).

    Returns: one row per term of a or b: term, score (delta), z; sorted by z descending.
    """
    return _score(log_odds_arrays, counts_a, counts_b, None, alpha0)


def score_frequency_difference(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior: pd.Series | None = None,
    alpha0: float | None = None,
) -> pd.DataFrame:
    """Difference of relative frequencies ``y_a / n_a - y_b / n_b`` (a naive baseline).

    ``z`` is the two-proportion z statistic with a pooled proportion; ``prior`` and ``alpha0``
    are ignored.

    Returns: one row per term of a or b: term, score (the difference), z; sorted by z
    descending.
    """
    return _score(frequency_difference_arrays, counts_a, counts_b, None, alpha0)


SCORERS: dict[str, Scorer] = {
    "log_odds_dirichlet": score_log_odds_dirichlet,
    "log_odds": score_log_odds,
    "frequency_difference": score_frequency_difference,
}


ARRAY_SCORERS: dict[str, ArrayScorer] = {
    "log_odds_dirichlet": log_odds_dirichlet_arrays,
    "log_odds": log_odds_arrays,
    "frequency_difference": frequency_difference_arrays,
}


def get_scorer(name: str) -> Scorer:
    """Return the scorer registered as ``name``; an unknown name errors with the valid ones."""
    try:
        return SCORERS[name]
    except KeyError:
        raise KeyError(f"unknown scorer {name!r}; valid: {', '.join(SCORERS)}") from None


def get_array_scorer(name: str) -> ArrayScorer:
    """Return the array form of the scorer ``name`` (for scoring many sets at once)."""
    get_scorer(name)
    return ARRAY_SCORERS[name]
