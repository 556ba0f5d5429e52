"""Candidate time-expression spans: one compiled regex and the trap filters.

The span finder is ours because it is where precision is won or lost in
news: general date parsers (dateparser's ``search_dates``) turn "may",
"March on", "2-1 win", "80% of" or "Windows 10" into dates, and are two
orders of magnitude slower. Here every rule is one named alternative of a
single regex (longer, more specific rules first, because alternation takes
the first rule that matches at a position), and a few context checks reject
the known traps: month words used as verbs or names, numbers that are money,
percentages, scores, phone numbers, postcodes, quantities or versions.

Spans follow TimeML: a preposition before the expression ("in July") is not
part of it, a determiner or modifier ("the 1990s", "early September",
"nearly three years") is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "half a": 0.5,
    "a half": 0.5,
}
VAGUE_NUMBERS = ("a few", "few", "several", "many", "some", "a number of")
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}

_MONTH_FULL = "|".join(MONTHS)
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})(?![\w-])"
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)(?![\d\w%])"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_W = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_NUM_WORD = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS_W}))?|{_UNITS_W}|hundred|a hundred)"
_NUM = (
    rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?|{_NUM_WORD}(?:\s+and\s+a\s+half)?"
    r"|a\s+couple(?:\s+of)?|couple\s+of|half\s+an?|an?|a\s+few|few|several|many"
    r"|a\s+number\s+of)"
)
_UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?"
    r"|century|centuries|quarters?)(?![a-z])"
)
# Words allowed between a count and its unit: "eight trading days", "an additional year".
_UNIT_ADJ = r"(?:(?:more|additional|extra|further|full|straight|consecutive|long|short"
_UNIT_ADJ += r"|trading|business|working|calendar|school)\s+)?"
_SEASON = r"(?:summer|winter|spring|fall|autumn)"
_PART = r"(?:morning|afternoon|evening|night)"
_APPROX = (
    r"(?:about|around|nearly|almost|roughly|approximately|some|over|under|more\s+than"
    r"|less\s+than|at\s+least|at\s+most|up\s+to|just|only|barely|another|a\s+full)"
)
_CLOCK = (
    r"(?:\d{1,2}(?::[0-5]\d)?\s?(?:a\.m\.?|p\.m\.?|am|pm)(?![\w])"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])"
    r"|noon|midnight|midday)"
)
_ZONE = r"(?-i:[ECMP][SD]T|GMT|UTC|BST|CET|ET)"
_MOD = (
    r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|the\s+(?:early|late)"
    r"|end|start)"
)
_REL = r"(?:last|this|next|past|previous|coming|current|following)"
_DEICTIC = r"(?:today|yesterday|tomorrow|tonight)"

_HOLIDAY = (
    r"(?:(?:last|this|next)\s+)?(?-i:(?:Christmas|New\s+Year[’']s)(?:\s+(?:Day|Eve))?"
    r"|Thanksgiving(?:\s+Day)?|Easter(?:\s+(?:Sunday|Monday))?|Boxing\s+Day"
    r"|Independence\s+Day|Halloween|Valentine[’']s\s+Day|Bastille\s+Day|Labou?r\s+Day"
    r"|Memorial\s+Day|Veterans\s+Day|Armistice\s+Day|Good\s+Friday)(?![\w-])"
)
HOLIDAYS = ("christmas", "new year", "thanksgiving", "easter", "boxing", "independence",
    "halloween", "valentine", "bastille", "labor", "labour", "memorial", "veterans",
    "armistice", "good friday")

# One named alternative per rule; order matters (first match at a position wins).
_RULES = [
    ("iso", r"\d{4}-[01]\d-[0-3]\d(?:T\d{2}:\d{2}(?::\d{2})?)?(?![\d\w-])"),
    ("numeric", r"(?<![\d/.])(?:[0-3]?\d)/(?:[01]?\d)/(?:\d{4})(?![\d/])"),
    (
        "clock",
        rf"(?:(?:around|about|shortly\s+(?:before|after))\s+)?{_CLOCK}(?:\s+{_ZONE})?"
        rf"(?:,?\s+(?:on\s+)?(?:{_WEEKDAY}|{_DEICTIC}|{_MONTH_ANY}\s+{_DAY}))?"
        r"|\d{1,2}\s+in\s+the\s+(?:morning|afternoon|evening)",
    ),
    (
        "md",
        rf"(?:{_WEEKDAY},?\s+)?(?:{_MOD}[-\s]?)?{_MONTH_ANY}\s+{_DAY}(?:,?\s+{_YEAR})?",
    ),
    (
        "dm",
        rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH_ANY}(?:,?\s+{_YEAR})?",
    ),
    ("my", rf"(?:{_MOD}[-\s]?)?{_MONTH_ANY},?\s+(?:of\s+)?{_YEAR}"),
    (
        "weekday",
        rf"(?:(?:last|this|next|early|late|earlier|later|each|every)\s+)?{_WEEKDAY}s?"
        rf"(?:\s+{_PART}s?)?",
    ),
    (
        "part",
        rf"(?:(?:early|late|later|earlier)\s+)?(?:this|{_DEICTIC}|last)\s+{_PART}"
        rf"|(?:early|late|later|earlier)\s+{_DEICTIC}|{_DEICTIC}|overnight",
    ),
    (
        "quarter",
        rf"(?:the\s+)?(?:(?:year-ago|year-earlier|(?:this|last|next)\s+year[’']s|{_YEAR})\s+)?"
        rf"(?:fiscal[-\s])?(?:{'|'.join(ORDINALS)})[-\s]quarter(?![\w-])"
        rf"(?:\s+(?:of\s+)?{_YEAR})?",
    ),
    ("qshort", r"(?-i:Q[1-4])(?:\s+\d{4})?(?![\w])"),
    (
        "qrel",
        r"(?:the\s+)?(?:latest|most\s+recent|current|year-ago|year-earlier|same|last|past)"
        r"(?:\s+fiscal)?\s+(?:quarter|period)(?![\w-])|the\s+quarter(?![\w-])"
        r"|(?<![\w-])(?:year-ago|year-earlier)(?=\s+[a-z])",
    ),
    ("half", rf"(?:the\s+)?(?:first|second|last)\s+half\s+of\s+(?:{_YEAR}|(?:this|last|next)\s+year)"),
    (
        "ago",
        rf"(?:{_APPROX}\s+)?(?:{_NUM})\s+{_UNIT_ADJ}{_UNIT}\s+(?:ago|earlier|later|from\s+now"
        r"|hence)"
        rf"|(?:{_UNIT}|(?:{_APPROX}\s+)?some\s+time)\s+ago",
    ),
    (
        "relunit",
        rf"(?:(?:earlier|later|early|late|mid|end\s+of)[-\s]+)?(?:the\s+)?{_REL}\s+"
        rf"(?:fiscal\s+)?(?:week(?:end)?|month|year|decade|century|{_SEASON})(?!s|-)",
    ),
    (
        "set",
        rf"(?:every|each|per)\s+(?:other\s+)?(?:{_NUM_WORD}\s+|\d+\s+)?(?:{_UNIT}|{_WEEKDAY}|"
        rf"(?:{_MONTH_FULL})|{_SEASON}|{_PART})"
        rf"|(?:once|twice|\w+\s+times)\s+(?:a|an|per|each|every)\s+{_UNIT}"
        r"|(?:daily|weekly|monthly|annually|yearly|hourly|nightly|quarterly|biweekly|fortnightly)",
    ),
    (
        "duration",
        rf"(?:(?:{_APPROX}|the\s+(?:past|last|next|first|previous|coming|following|final))"
        rf"\s+)*(?:{_NUM})[\s-]{_UNIT_ADJ}{_UNIT}(?!-old|\s+old)(?:-long)?"
        rf"|{_UNIT}-long"
        r"|(?:the\s+)?(?:past|last|next|coming|previous)\s+(?:few\s+|several\s+)?"
        r"(?:seconds|minutes|hours|days|weeks|months|years|decades)"
        r"|(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bover\s)|(?<=\bafter\s))(?:the\s+)?(?:years|months|weeks|days"
        r"|hours|decades|centuries)(?![\w-])(?!\s+of\s+(?:the|his|her|its|their)\b)",
    ),
    (
        "decade",
        r"(?:the\s+)?(?:(?:early|mid|late)[-\s]?)?(?:1[0-9]\d0s|20\d0s|'\d0s"
        r"|(?<=the\s)\d0s|(?<=the\s)(?:twenties|thirties|forties|fifties|sixties"
        r"|seventies|eighties|nineties))(?![\w])",
    ),
    (
        "century",
        r"(?:the\s+)?(?:(?:early|mid|late)[-\s]?)?(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|"
        r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth"
        r"|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)"
        r"[-\s]century",
    ),
    ("yearmod", rf"(?:(?:{_MOD}|fiscal|the\s+{_SEASON}\s+of|{_SEASON})[-\s]+){_YEAR}"),
    ("year", rf"(?:'\d\d(?![\w'])|{_YEAR})"),
    (
        "ref",
        r"the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future"
        r"|(?<=in\s)(?:the\s+)?(?:near\s+|foreseeable\s+)?future"
        r"|the\s+past(?!\s+(?:\d|few|several))|recently|lately|currently|presently|nowadays"
        r"|now|right\s+now|at\s+present|these\s+days|at\s+the\s+moment|soon|previously|formerly"
        r"|recent\s+(?:years|months|weeks|days|decades|times|quarters)"
        r"|the\s+(?:near|short)\s+term|(?:(?<=\ba\s)|(?<=\bthe\s))?(?:later|future)\s+date"
        r"|(?<![\w-])(?:current|recent|future)(?=\s+[a-z])",
    ),
    (
        "month",
        rf"(?:(?:last|this|next|early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)"
        rf"[-\s]+)?(?:{_MONTH_FULL})(?:\s+(?:of\s+)?(?:last|this|next)\s+year)?(?![\w-])",
    ),
    (
        "season",
        rf"(?:(?:last|this|next|early|late|the|the\s+early|the\s+late)\s+){_SEASON}(?![\w-])",
    ),
    ("weekend", r"the\s+weekend(?!s)"),
    (
        "boundary",
        r"(?:the\s+)?(?:year|month)(?:-end|\s+end|[’']s\s+end)(?![\w-])"
        r"|the\s+(?:end|beginning|start|middle)\s+of\s+(?:the|this|next|last)\s+"
        r"(?:year|month|week)(?![\w-])",
    ),
    (
        "theyear",
        r"the\s+(?:full\s+|fiscal\s+|current\s+|calendar\s+)?year(?![\w-])"
        r"(?!\s+(?:before|after|earlier|ago|later|of|in|when|that|(?:1\d|20)\d\d))",
    ),
    ("holiday", _HOLIDAY),
]

PATTERN = re.compile(
    r"(?<![\w'’.-])(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in _RULES) + ")",
    re.IGNORECASE,
)

# Context lexicons for the trap filters.
_TEMPORAL_CUES = frozenset(
    """in on since by until till from to through during before after of early late mid
    last this next around circa c. between and or throughout fiscal""".split()
)
_COUNT_NOUNS = frozenset(
    """people persons men women children troops soldiers police officers jobs workers staff
    employees students voters votes seats members homes houses cars vehicles units copies
    tonnes tons barrels shares dollars pounds euros yuan yen miles km kilometres kilometers
    metres meters feet ft inches acres hectares points runs goals words pages calories
    cases deaths victims refugees migrants passengers visitors fans spectators delegates
    flights planes tanks missiles rockets guns rifles bombs drones ships boats firms
    companies stores shops branches schools hospitals beds patients doctors nurses
    users customers subscribers viewers listeners readers followers downloads sales items
    times places rooms lines calls texts emails messages signatures names tickets""".split()
)
_PRODUCT_WORDS = frozenset(
    """version windows office iphone xbox playstation ps model route highway interstate
    flight room suite apartment platform gate chapter section article resolution rule
    page pages no no. number nos # code act bill hr s. vol volume issue episode season
    part phase exhibit tab figure table""".split()
)
_RATE_WORDS = frozenset("million billion thousand hundred times once twice dollars cents".split())
_NOT_PLURAL = frozenset(
    "was has is this his its less across plus always perhaps various thus us yes whereas".split()
)
_MONTH_NAME_RX = re.compile(rf"\b(?:{_MONTH_FULL})\b", re.IGNORECASE)
_MONEY_WORDS = re.compile(r"\s*(?:m|bn|k|million|billion|trillion|crore|lakh)\b", re.IGNORECASE)
_CAPITALISED_WORD = re.compile(r"([A-Z][\w’'.-]*)\s+$")
_PREV_WORD = re.compile(r"([\w’'.#-]+)\s*$")
_NEXT_WORD = re.compile(r"\s*([\w’'%-]+)")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate span: ``text[start:end]`` matched by ``rule``."""

    start: int
    end: int
    rule: str


def find_candidates(text: str) -> list[Candidate]:
    """Find time-expression candidates in ``text`` and drop the known traps.

    Returns: candidates in text order, non-overlapping, each a span and the rule that matched.
    """
    out: list[Candidate] = []
    for m in PATTERN.finditer(text):
        rule = m.lastgroup or ""
        start, end = m.span()
        span = text[start:end]
        if "\n" in span or _is_trap(text, start, end, span, rule):
            continue
        out.append(Candidate(start, end, rule))
    return out


def _is_trap(text: str, start: int, end: int, span: str, rule: str) -> bool:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    if rule in ("md", "dm", "my", "month"):
        return _is_month_trap(before, after, span, rule)
    if rule in ("year", "yearmod"):
        return _is_year_trap(before, after, span)
    if rule == "weekday":
        return not _has_capital_weekday(span)
    if rule == "set":
        return _is_set_trap(before, after, span)
    if rule == "ref":
        return _is_ref_trap(before, after, span)
    if rule == "duration":
        return _is_duration_trap(before, after, span)
    if rule == "season":
        low = span.lower()
        return low == "the fall" or (low.endswith("fall") and after.startswith(" of"))
    if rule == "numeric":
        return bool(re.match(r"\s*-\s*\d", after))
    if rule == "decade":
        return bool(re.match(r"[$£€¥]", before[-1:]))
    if rule == "relunit":
        words = span.split()
        unit_word = words[-1]
        if unit_word[0].isupper() and not unit_word.isupper():
            return True  # a title: ABC's "This Week"
        return words[0].lower() == "following"  # "century following century"
    if rule == "clock":
        if re.search(r"\bhigh\s*$", before, re.IGNORECASE):
            return True  # "High Noon"
        return bool(re.search(r"\d\s*[-–]\s*$", before)) or bool(re.match(r"\s*[-–]\s*\d", after))
    return False


def _month_token(span: str) -> str | None:
    for token in re.findall(r"[A-Za-z]+", span):
        low = token.lower()
        if low in MONTHS or low in MONTH_ABBR:
            return token
    return None


def _is_month_trap(before: str, after: str, span: str, rule: str) -> bool:
    token = _month_token(span)
    if token is None or token[0].islower():
        return True  # "may rise", "march on": months are capitalised in English
    if rule != "month":
        return False
    low = token.lower()
    if span.split()[0].lower() != low:
        return False  # a modifier makes it temporal: "last July", "early March", "mid-May"
    prev = _PREV_WORD.search(before)
    prev_word = prev.group(1).lower() if prev else ""
    if prev_word in ("and", "or") and _MONTH_NAME_RX.search(before[-25:]):
        return False  # "between March and May"
    if prev_word in _TEMPORAL_CUES and prev_word not in ("and", "or", "to"):
        return False
    if low in ("may", "march", "april", "june", "august"):
        return True  # names (Theresa May, April Ryan) and verbs without a temporal cue
    # Any other bare month next to a capitalised word is most likely part of a name.
    if _CAPITALISED_WORD.search(before) and not re.search(r"[.!?:]\s*$", before):
        return True
    return bool(re.match(r"\s+[A-Z][a-z]", after)) and not re.match(r"\s+(?:The|A|An)\b", after)


def _is_year_trap(before: str, after: str, span: str) -> bool:
    if span.startswith("'"):
        # '98 only after a temporal cue: "in '98", "since '05"
        prev = _PREV_WORD.search(before)
        return not prev or prev.group(1).lower() not in _TEMPORAL_CUES
    if re.search(r"[$£€¥#№]\s*$|\d[.:]?\s*$|[\d]\s*[-–/.]\s*$|[A-Z]-$", before):
        return True  # money, phone numbers and postcodes: "$2000", "555-1990", "CH-8001"
    if re.match(r"\s*(?:%|per\s*cent|percent|[-–/.:]\s*\d|,\d|\s\d)", after):
        return True  # percentages, ranges and scores, phone numbers: "1990-2000 hrs"
    if _MONEY_WORDS.match(after):
        return True
    if re.search(r"\b[A-Z]{2,3}\s+$", before):
        return True  # state + postcode: "NSW 2000"
    prev = _PREV_WORD.search(before)
    prev_word = prev.group(1) if prev else ""
    if prev_word.lower() in _PRODUCT_WORDS:
        return True  # "Windows 2000", "Flight 1549", "Room 1010"
    nxt = _NEXT_WORD.match(after)
    next_word = nxt.group(1).lower() if nxt else ""
    if next_word in _COUNT_NOUNS:
        return True  # "2000 troops"
    year = int(re.sub(r"\D", "", span[-4:]) or 0)
    cued = prev_word.lower() in _TEMPORAL_CUES
    if year < 1800 and not cued:
        return True
    # Capitalised word before a bare year that is not a sentence start: "Euro 2020", "Vision 2030"
    return bool(
        prev_word[:1].isupper()
        and not cued
        and not re.search(r"(?:^|[.!?:;\n]\s*)[\w’'.#-]+\s*$", before)
        and prev_word.lower().rstrip(".") not in MONTHS
    )


def _has_capital_weekday(span: str) -> bool:
    return any(w[0].isupper() for w in re.findall(r"[A-Za-z]+", span) if w.lower() in WEEKDAYS)


def _is_set_trap(before: str, after: str, span: str) -> bool:
    if span.lower() not in ("daily", "weekly", "monthly", "quarterly", "nightly"):
        return False
    if span[0].isupper() and not re.search(r"(?:^|[.!?:]\s*)$", before):
        return True  # "China Daily", "the Daily Mail"
    prev = _PREV_WORD.search(before)
    prev_word = prev.group(1) if prev else ""
    if prev_word[:1].isupper() and not re.search(r"[.!?:]\s*\S*\s*$", before):
        return True  # "Izvestia daily", "the party daily Granma": the newspaper
    # "the daily said", "a weekly," : the newspaper as a noun, not the frequency
    return prev_word.lower() in ("the", "a", "an", "its") and not re.match(r"\s+[a-z]", after)


def _is_ref_trap(before: str, after: str, span: str) -> bool:
    low = span.lower()
    if low == "now":
        # "now" as an interjection or in "just now"/"until now" is still PRESENT_REF; but
        # "now-defunct" / "Now TV" are not time expressions.
        return after[:1] == "-"  # "now-defunct"
    if low == "soon":
        return before.lower().endswith("as ") or after.lower().startswith(" as")  # "as soon as"
    if low.endswith("future"):
        return after.startswith(" of ")  # "the future of Nato" is not a time
    if low == "current":
        return bool(re.match(r"\s+(?:account|affairs|events|flow|density|source)", after))
    return False


def _is_duration_trap(before: str, after: str, span: str) -> bool:
    low = span.lower()
    if re.match(r"an?\s", low):
        prev = _PREV_WORD.search(before)
        prev_word = prev.group(1).lower() if prev else ""
        if re.search(r"\d", prev_word) or prev_word in _RATE_WORDS:
            return True  # a rate, not a duration: "$2m a year", "24 hours a day"
        if prev_word.endswith("s") and len(prev_word) > 3 and prev_word not in _NOT_PLURAL:
            return True  # "four flights a week", "700 seats a week"

    if re.search(r"\b(?:an?|one)[\s-]+(?:second|quarter)$", low):
        return True  # "a second term", "a quarter of the population"
    if low.endswith(("quarter", "quarters")) and after.startswith(" of"):
        return True  # "three quarters of voters"
    return bool(re.search(r"[$£€¥]\s*$", before))
