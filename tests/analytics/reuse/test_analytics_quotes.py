"""Quote extraction (marks, speakers) and quote comparison across aligned articles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.reuse.align import align_sentences
from core.analytics.reuse.quote_diff import compare_quotes, format_diff, quote_diff
from core.analytics.reuse.quotes import extract_quotes, find_quote_spans
from tests.analytics.reuse.test_analytics_align import seed_texts


def _one(text: str) -> dict:
    quotes = extract_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def test_curly_quote_speaker_after():
    q = _one("“We will not retreat,” President Vladimir Putin said on Monday.")
    assert q["text"] == "We will not retreat,"
    assert (q["speaker"], q["speaker_key"]) == ("Vladimir Putin", "putin")
    assert (q["start_char"], q["end_char"], q["sentence"]) == (1, 21, 0)
    assert q["is_short"] is False


def test_straight_quote_verb_before_name():
    q = _one('"The deal is done," said Mr Kim.')
    assert q["text"] == "The deal is done,"
    assert q["speaker_key"] == "kim"


def test_speaker_before_the_quote_with_appositive():
    text = "The ambassador, Alexander Matsegora, told Izvestia that workers were “highly skilled”."
    q = _one(text)
    assert q["speaker"] == "Alexander Matsegora"
    assert text[q["start_char"] : q["end_char"]] == "highly skilled"
    assert q["is_short"] is True


def test_pronoun_takes_the_last_named_speaker():
    text = "In turn, Mr Kim said the ties were old.\nHe added that their “comradeship” would grow."
    q = _one(text)
    assert (q["speaker"], q["speaker_key"], q["sentence"]) == ("Kim", "kim", 1)


def test_family_name_first_key():
    q = _one("Kim Jong-un said the ties were “unbreakable”.")
    assert (q["speaker"], q["speaker_key"]) == ("Kim Jong-un", "kim")


def test_attribution_in_a_short_next_sentence():
    text = "“We will not pay for such a wall!” Mr. Calderón told CNBC. Talks went on."
    assert _one(text)["speaker"] == "Calderón"
    # a longer next sentence with its own subject is not an attribution
    text = "Mr Kim said the ties were “forged in war”. It added that talks were on for now."
    assert _one(text)["speaker_key"] == "kim"


def test_according_to():
    q = _one("According to KCNA, the talks went “very well” for both sides.")
    assert q["speaker"] == "KCNA"


def test_no_speaker_for_scare_quotes():
    q = _one("Two separatist “people’s republics” were recognised.")
    assert q["speaker"] is None and q["is_short"] is True


def test_multi_sentence_quote_is_one_quote():
    text = "“We are ready. We will act,” the minister, Sergei Lavrov, said."
    quotes = extract_quotes(text)
    assert [q["text"] for q in quotes] == ["We are ready. We will act,"]


def test_nested_quotes_belong_to_the_outer_one():
    text = "“He called it “a farce” and left,” she said."
    spans = find_quote_spans(text)
    assert [text[s:e] for s, e in spans] == ["He called it “a farce” and left,"]
    text = 'He said: “They shouted "no" twice.”'
    spans = find_quote_spans(text)
    assert [text[s:e] for s, e in spans] == ['They shouted "no" twice.']


def test_unclosed_curly_quote_closes_at_paragraph_end():
    text = "“The first paragraph runs on\n“and the second closes.”"
    spans = find_quote_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "The first paragraph runs on",
        "and the second closes.",
    ]


def test_stray_straight_quote_is_ignored():
    assert find_quote_spans("He is 6' 2\" tall.") == []


def test_quote_diff_word_ops():
    ops = quote_diff("highly skilled, industrious", "skilled, hard-working")
    assert ops == [
        {"op": "delete", "a": "highly", "b": ""},
        {"op": "equal", "a": "skilled,", "b": "skilled,"},
        {"op": "replace", "a": "industrious", "b": "hard-working"},
    ]
    assert format_diff(ops) == "[-highly-] skilled, [-industrious-]{+hard-working+}"


def test_seed_altered_quotes():
    a, b = seed_texts()
    compared = compare_quotes(extract_quotes(a), extract_quotes(b), align_sentences(a, b))
    altered = {(q["a"], q["b"]) for q in compared if q["status"] == "altered"}
    assert ("comradely friendship", "comradeship") in altered
    assert (
        "conform with the interests of the two countries",
        "serve the interests of both countries",
    ) in altered
    assert ("highly skilled, industrious", "skilled, hard-working") in altered
    same = [q["a"] for q in compared if q["status"] == "same"]
    assert "comprehensive and constructive bilateral relations" in same
    only_b = [q["b"] for q in compared if q["status"] == "only_b"]
    assert "reliability and quality" in only_b
    speakers = {q["a"]: q["speaker"] for q in compared if q["a"]}
    assert speakers["conform with the interests of the two countries"] == "Putin"
    assert speakers["highly skilled, industrious"] == "Alexander Matsegora"
    assert speakers["comradely friendship"] == "Kim"
    assert speakers["forged in the anti-Japanese war"] == "Kim"
    assert speakers["consolidated and developed century after century"] == "Kim"
    comrade = next(q for q in compared if q["a"] == "comradely friendship")
    assert format_diff(comrade["diff"]) == "[-comradely friendship-]{+comradeship+}"


def test_moved_quote_is_matched_outside_aligned_sentences():
    a = "Officials met on Monday. The minister said it was “a historic step for peace”."
    b = "Nobody expected the outcome. “A historic step for peace,” a spokesman said later on."
    compared = compare_quotes(extract_quotes(a), extract_quotes(b), align_sentences(a, b))
    # Case and punctuation do not make a quote "altered".
    assert [q["status"] for q in compared] == ["same"]
    assert compared[0]["b"] == "A historic step for peace,"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab .,\n“”\"'", max_size=60))
def test_quote_offsets_always_index_the_text(text):
    quotes = extract_quotes(text)
    ends = [-1]
    for q in quotes:
        assert text[q["start_char"] : q["end_char"]] == q["text"]
        assert q["start_char"] > ends[-1]  # in order, never overlapping
        ends.append(q["end_char"])


def test_a_split_sentence_does_not_pair_a_quote_twice():
    a = "The minister said the cuts were “unfair and cruel” after a vote on his “plan”."
    b = "The minister said the cuts were “unfair and cruel”. He spoke after a vote on his “plan”."
    alignment = align_sentences(a, b)
    assert alignment["a_sentence"].tolist() == [0, 0]  # b's two sentences are a's halves
    compared = compare_quotes(extract_quotes(a), extract_quotes(b), alignment)
    assert [(q["a"], q["b"], q["status"]) for q in compared] == [
        ("unfair and cruel", "unfair and cruel", "same"),
        ("plan", "plan", "same"),
    ]
