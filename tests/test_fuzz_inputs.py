"""Fuzzing in CI: the benchmark's generated inputs (benchmarks/ingest/bench_fuzz.py), fewer of them.

Every input format (txt, html, csv, json, jsonl, zip, gz) and the extractors, good records
mixed with hostile ones: no exception may escape the ingest path, no good record be lost.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def bench_fuzz():
    path = REPO / "benchmarks/ingest/bench_fuzz.py"
    spec = importlib.util.spec_from_file_location("bench_fuzz", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_fuzz"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_inputs_neither_crash_nor_lose_good_records(bench_fuzz, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's duplicate-name warnings of hostile archives
        tally = bench_fuzz.fuzz(100, seed=seed, batch=50)
    assert sum(tally.cases.values()) == 100
    assert tally.good > 30  # the cases did carry good records
    assert not tally.crashes, tally.examples
    assert tally.lost == 0, tally.examples


def test_each_hostile_value_of_the_issue_is_generated(bench_fuzz):
    nasty = set(bench_fuzz.NASTY)
    assert {"2022-02-30", "31 April 2021", "29 February 2023", "http://[::1", "\udfff"} <= nasty
    assert any(len(v) > 131_072 for v in nasty)
    assert bench_fuzz.deep().count("[") == 2000
