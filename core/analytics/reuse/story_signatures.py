"""TF-IDF signatures of articles for story grouping (:mod:`core.analytics.reuse.stories`), built in
slices so that a store of a million articles never holds its texts, or every article's terms as
Python objects, at once.

Each slice's articles are tokenised into compact arrays (doc, term id, count, is-name: 13
bytes an entry, ~150 entries an article); once every slice is in, the document frequencies
are known and each slice is weighted and cut to its ``top_terms`` heaviest terms. A document's
weights depend only on its own counts and on the document frequencies, so the signatures are
the same as from one pass over every article.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterator
from itertools import islice

import duckdb
import numpy as np
import pandas as pd

from core.analytics.reuse.align import tokenize

_ENTITY_PREFIX = "@"
# Characters of text read per article: the lead's 200 words fit in this many unless the words
# are very long (then the whole text is read).
LEAD_CHARS = 2000
SLICE_ARTICLES = 50_000  # articles read and tokenised at a time from a store


class SignatureBuilder:
    """Accumulates articles slice by slice (:meth:`add`); :meth:`finish` weights them."""

    def __init__(self, *, max_words: int = 200) -> None:
        self.max_words = max_words
        self.vocab: dict[str, int] = {}
        self.n_docs = 0
        # Per slice: its first doc, each doc's number of terms, then per (doc, term) entry
        # the term id, count and is-name flag (7 bytes an entry when counts fit 16 bits).
        self._slices: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, articles: pd.DataFrame, mentions: pd.DataFrame | None = None) -> None:
        """Tokenise ``articles`` (article_id, text, optional title) as the next documents;
        ``mentions`` (article_id, entity) of those articles add entity terms."""
        entity_counts: dict[str, Counter] = {}
        if mentions is not None and not mentions.empty:
            for aid, ent in zip(mentions["article_id"], mentions["entity"], strict=True):
                key = _ENTITY_PREFIX + str(ent).lower()
                entity_counts.setdefault(str(aid), Counter())[key] += 1
        vocab = self.vocab
        docs, term_ids, tfs, is_name = array("i"), array("i"), array("i"), array("b")
        titles = articles["title"] if "title" in articles else pd.Series([None] * len(articles))
        rows = zip(articles["article_id"], titles, articles["text"], strict=True)
        for k, (aid, title, text) in enumerate(rows, start=self.n_docs):
            lead = " ".join(islice(str(text).split(), self.max_words))
            head = "" if title is None or pd.isna(title) else str(title)
            c = Counter(tokenize(head + "\n" + lead))
            entities = entity_counts.get(str(aid), {})
            c.update(entities)
            names = _name_terms(lead)
            for t, x in c.items():
                docs.append(k)
                term_ids.append(vocab.setdefault(t, len(vocab)))
                tfs.append(x)
                is_name.append(t in names or t in entities or _has_digit(t))
        self.n_docs += len(articles)
        if docs:
            lengths = np.bincount(np.frombuffer(docs, dtype=np.int32) - docs[0]).astype(np.int32)
            counts = np.frombuffer(tfs, dtype=np.int32)
            if counts.max() < 2**16:
                counts = counts.astype(np.uint16)
            flags = np.frombuffer(is_name, dtype=np.int8).astype(bool)
            self._slices.append((docs[0], lengths, np.array(term_ids), counts.copy(), flags))

    def finish(
        self, *, top_terms: int = 60, name_boost: float = 2.0, term_ids: bool = False
    ) -> pd.DataFrame:
        """Weight every document (see :func:`build_signatures`), consuming the slices.

        With ``term_ids`` the ``term`` column holds each term's number in the vocabulary
        (int32) and ``doc`` is int32: the same rows and equalities as the texts, in a fraction
        of the memory (a million articles' 60M signature rows held 2.3 GB of term texts).

        Returns: as :func:`build_signatures`.
        """
        if not self._slices:
            term = pd.Series([], dtype=np.int32) if term_ids else []
            return pd.DataFrame(
                {
                    "doc": pd.Series([], dtype=int),
                    "term": term,
                    "weight": pd.Series([], dtype=float),
                }
            )
        df = np.zeros(len(self.vocab), dtype=np.int64)
        for _, _, slice_terms, _, _ in self._slices:
            df += np.bincount(slice_terms, minlength=len(self.vocab))
        # log((N + 1) / df), not log(N / df): a term in every article must keep a little
        # weight, or two articles of one story (a rewrite and its original) share nothing.
        idf = np.log((self.n_docs + 1) / df)
        del df
        # Each slice is weighed then dropped, its rows written into arrays sized for the most
        # rows there can be (pages never written are never resident): no list of parts and
        # no concatenated copy of them.
        bound = min(sum(len(s[2]) for s in self._slices), self.n_docs * top_terms)
        docs = np.empty(bound, dtype=np.int32 if term_ids else np.int64)
        terms = np.empty(bound, dtype=np.int32)
        weights = np.empty(bound, dtype=np.float64)
        at = 0
        while self._slices:
            doc, term, weight = _weigh(
                self._slices.pop(0), idf, top_terms=top_terms, name_boost=name_boost
            )
            end = at + len(doc)
            docs[at:end], terms[at:end], weights[at:end] = doc, term, weight
            at = end
            del doc, term, weight
        names = terms[:at] if term_ids else np.array(list(self.vocab), dtype=object)[terms[:at]]
        return pd.DataFrame({"doc": docs[:at], "term": names, "weight": weights[:at]}, copy=False)


def _weigh(
    part: tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    idf: np.ndarray,
    *,
    top_terms: int,
    name_boost: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One slice's documents weighted, cut to their ``top_terms`` and normalised again.

    Returns: the kept rows' doc, term id and weight arrays (doc by doc, heaviest first).
    """
    first, lengths, term_ids, tfs, is_name = part
    docs = np.repeat(np.arange(first, first + len(lengths)), lengths)
    term_arr = term_ids.astype(np.int64)
    weight = (1.0 + np.log(tfs.astype(np.int64))) * idf[term_arr]
    weight = np.where(is_name.astype(bool), weight * name_boost, weight)
    keep = weight > 0
    frame = pd.DataFrame(
        {"doc": docs.astype(np.int64)[keep], "term_id": term_arr[keep], "weight": weight[keep]}
    )
    frame = frame.sort_values(["doc", "weight"], ascending=[True, False], kind="stable")
    frame = frame.groupby("doc", sort=False).head(top_terms)
    norm = np.sqrt((frame["weight"] ** 2).groupby(frame["doc"]).transform("sum"))
    return (
        frame["doc"].to_numpy(),
        frame["term_id"].to_numpy(),
        (frame["weight"] / norm).to_numpy(),
    )


def build_signatures(
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    top_terms: int = 60,
    max_words: int = 200,
    name_boost: float = 2.0,
) -> pd.DataFrame:
    """TF-IDF signature terms of each article.

    Names and numbers weigh ``name_boost`` times more: words capitalised inside a
    sentence, entity mentions, and tokens with a digit (years, scores, magnitudes,
    tolls). Participants, places and numbers are what tell two look-alike events
    apart ("earthquake in Bam" / "earthquake in Zarand"; the 81st / 86th Oscars).

    Returns: one row per (doc, term) kept: ``doc`` (row position in ``articles``),
    ``term``, ``weight`` (the kept terms' TF-IDF weights, L2-normalised again).
    """
    builder = SignatureBuilder(max_words=max_words)
    builder.add(articles, mentions)
    return builder.finish(top_terms=top_terms, name_boost=name_boost)


_DIGIT = re.compile(r"\d")


def _has_digit(term: str) -> bool:
    return _DIGIT.search(term) is not None


_CAPITALISED = re.compile(r"(?<![.!?\n“\"‘'])(?<![.!?\n“\"‘']\s)(?<!^)\b([A-Z][\w'’-]*)")


def _name_terms(text: str) -> set[str]:
    """Stems of words capitalised inside a sentence (not after . ! ? or a quote mark)."""
    return set(tokenize(" ".join(m.group(1) for m in _CAPITALISED.finditer(text))))


def read_store_signatures(
    store, where: str, params: list, *, top_terms: int = 60
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Signatures of the stored articles passing ``where`` (over ``articles``; ``mentions``
    may be named too), read ``SLICE_ARTICLES`` at a time, each text cut to its lead.

    Returns: ``(articles, signatures)``: one row per article in the store's order
    (article_id, published), and :func:`build_signatures`' rows for them, each term as its
    vocabulary number (``SignatureBuilder.finish``'s ``term_ids``: grouping only compares
    terms).
    """
    con = duckdb.connect(":memory:")
    try:
        for name in ("articles", "mentions"):
            sql = store.relation_sql(name)
            if sql is None:
                return pd.DataFrame(columns=["article_id", "published"]), build_signatures(
                    pd.DataFrame(columns=["article_id", "text"])
                )
            con.execute(f"CREATE VIEW {name} AS {sql}")
        builder = SignatureBuilder()
        metas = []
        side = con.cursor()  # the slices stream on their own cursor
        for leads in _lead_slices(con.cursor(), side, where, params):
            side.register("_slice", pd.DataFrame({"article_id": leads["article_id"]}))
            try:
                mentions = side.execute(
                    "SELECT m.article_id, m.entity FROM mentions m SEMI JOIN _slice USING"
                    " (article_id)"
                ).df()
            finally:
                side.unregister("_slice")
            builder.add(leads, mentions)
            metas.append(leads[["article_id", "published"]])
        articles = pd.concat(metas, ignore_index=True) if metas else pd.DataFrame()
        return articles, builder.finish(top_terms=top_terms, term_ids=True)
    finally:
        con.close()


def _lead_slices(
    con: duckdb.DuckDBPyConnection, full: duckdb.DuckDBPyConnection, where: str, params: list
) -> Iterator[pd.DataFrame]:
    """The articles passing ``where`` in slices: article_id, title, published and ``text``
    cut to its first 200 words' span (the whole text, read on ``full``, when they run past
    ``LEAD_CHARS``)."""
    rel = con.sql(
        f"SELECT article_id, title, left(text, {LEAD_CHARS}) AS text, published,"
        f" length(text) > {LEAD_CHARS} AS cut FROM articles WHERE {where}",
        params=params or None,
    )
    with rel.to_arrow_reader(batch_size=SLICE_ARTICLES) as reader:
        yield from _fill_leads(reader, full)


def _fill_leads(reader, full: duckdb.DuckDBPyConnection) -> Iterator[pd.DataFrame]:
    """Each batch of ``reader`` as a frame, cut texts too short for 200 words read whole."""
    for batch in reader:
        leads = batch.to_pandas()
        # A cut text gives the same first 200 words only when a 201st word starts in the cut.
        short = [
            i
            for i, (text, cut) in enumerate(zip(leads["text"], leads["cut"], strict=True))
            if cut and len(str(text).split(maxsplit=200)) <= 200
        ]
        if short:
            ids = leads["article_id"].iloc[short].tolist()
            rows = full.execute(
                "SELECT article_id, text FROM articles WHERE list_contains(?, article_id)", [ids]
            ).df()
            texts = dict(zip(rows["article_id"], rows["text"], strict=True))
            leads.loc[leads.index[short], "text"] = [texts[i] for i in ids]
        yield leads.drop(columns="cut")
