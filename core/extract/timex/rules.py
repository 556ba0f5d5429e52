"""The rules of the time-expression finder: one regex alternative per kind of expression.

Rules are written for lower-cased text (the finder lower-cases once and checks
capitalisation in its trap filters); each is a named alternative, and order
matters because the first alternative that matches at a position wins, so
longer, more specific rules come first.
"""

from __future__ import annotations

import re

from core.extract.timex.lexicon import (
    CLASS_RULES,
    MONTHS,
    ORDINALS,
    WEEKDAYS,
)

MONTH_FULL = "|".join(MONTHS)
MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_MONTH_ANY = rf"(?:{MONTH_FULL}|{MONTH_ABBR})(?![\w-])"
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d\w])"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)(?![\d\w%])"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_W = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_UNIT19 = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    "|fifteen|sixteen|seventeen|eighteen|nineteen"
)
# A year read out, as in broadcast transcripts: "nineteen ninety-six", "eighteen hundred",
# "nineteen oh five", "two thousand (and) one" (the last only after "the year").
SPOKEN_YEAR = (
    rf"(?:nineteen|eighteen)[\s-](?:hundred|oh[\s-](?:one|two|three|four|five|six|seven"
    rf"|eight|nine)|(?:{_TENS})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?![\w-])"
)
_YEAR_ANY = rf"(?:{_YEAR}|{SPOKEN_YEAR})"
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
_ZONE = r"(?:[ecmp][sd]t|gmt|utc|bst|cet|et)"
_MOD = (
    r"(?:early|mid|late|the\s+(?:end|beginning|start|middle)\s+of|the\s+(?:early|late)"
    r"|end|start)"
)
_REL = r"(?:last|this|next|past|previous|coming|current|following)"
_DEICTIC = r"(?:today|yesterday|tomorrow|tonight)"

_HOLIDAY = (
    r"(?:(?:last|this|next)\s+)?(?:(?:christmas|new\s+year[’']s)(?:\s+(?:day|eve))?"
    r"|thanksgiving(?:\s+day)?|easter(?:\s+(?:sunday|monday))?|boxing\s+day"
    r"|independence\s+day|halloween|valentine[’']s\s+day|bastille\s+day|labou?r\s+day"
    r"|memorial\s+day|veterans\s+day|armistice\s+day|good\s+friday)(?![\w-])(?:\s+week)?"
)
# One named alternative per rule; order matters (first match at a position wins).
RULES = [
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
    ("my", rf"(?:{_MOD}[-\s]?)?{_MONTH_ANY},?\s+(?:of\s+)?{_YEAR_ANY}"),
    (
        "weekday",
        rf"(?:(?:last|this(?:\s+coming)?|coming|next|early|late|earlier|later|each|every"
        rf"|the\s+(?:previous|preceding|following))\s+)?{_WEEKDAY}s?"
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
    ("qshort", r"q[1-4](?:\s+\d{4})?(?![\w])"),
    (
        "qrel",
        r"(?:the\s+)?(?:latest|most\s+recent|current|year-ago|year-earlier|same|last|past)"
        r"(?:\s+fiscal)?\s+(?:quarter|period)(?![\w-])"
        r"|the\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier)(?![\w-])|the\s+quarter(?![\w-])"
        rf"|the\s+{_YEAR}\s+(?:fiscal\s+)?(?:quarter|period)(?![\w-])"
        r"|(?<![\w-])(?:year-ago|year-earlier)(?=\s+[a-z])"
        r"|last\s+year[’']s\s+(?:quarter|period)(?![\w-])"
        r"|the\s+(?:same|corresponding|comparable)\s+(?:quarter|period)\s+(?:of\s+)?last\s+year"
        r"(?![\w-])",
    ),
    (
        "half",
        rf"(?:the\s+)?(?:first|second|last)\s+half\s+of\s+(?:{_YEAR}|(?:this|last|next)\s+year)",
    ),
    (
        "ago",
        rf"(?:{_APPROX}\s+)*(?:{_NUM})\s+{_UNIT_ADJ}{_UNIT}\s+(?:ago|earlier|later|from\s+now"
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
        rf"(?:{MONTH_FULL})|{_SEASON}|{_PART})"
        rf"|(?:once|twice|\w+\s+times)\s+(?:a|an|per|each|every)\s+{_UNIT}"
        r"|(?:daily|weekly|monthly|annually|yearly|hourly|nightly|quarterly|biweekly|fortnightly)",
    ),
    (
        "duration",
        rf"(?:(?:{_APPROX}|the\s+(?:past|last|next|first|previous|coming|following|final))"
        rf"\s+)*(?:{_NUM})[\s-]{_UNIT_ADJ}{_UNIT}(?!-old|\s+old|-ago|-earlier)"
        r"(?:-long|\s+and\s+a\s+half)?"
        rf"|{_UNIT}-long"
        r"|(?:the\s+)?(?:past|last|next|coming|previous)\s+(?:few\s+|several\s+)?"
        r"(?:seconds|minutes|hours|days|weeks|months|years|decades)"
        r"|(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s)|(?<=\bover\s)|(?<=\bafter\s))"
        r"(?:the\s+)?(?:years|months|weeks|days|hours|decades|centuries)(?![\w-])"
        r"(?!\s+of\s+(?:the|his|her|its|their)\b)",
    ),
    (
        "decade",
        r"(?:the\s+)?(?:(?:early|mid|late)[-\s]?)?(?:1[0-9]\d0s|20\d0s|['‘’]\d0s"
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
    ("yearmod", rf"(?:(?:{_MOD}|fiscal|the\s+{_SEASON}\s+of|{_SEASON})[-\s]+){_YEAR_ANY}"),
    ("year", rf"(?:['‘’]\d\d(?![\w'‘’])|{_YEAR})"),
    (
        "spokenyear",
        rf"(?:the\s+year\s+)?{SPOKEN_YEAR}"
        rf"|the\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?:{_UNIT19}))?(?![\w-])",
    ),
    (
        "ref",
        r"the\s+(?:near\s+|distant\s+|foreseeable\s+|immediate\s+)?future"
        r"|(?<=in\s)(?:the\s+)?(?:near\s+|foreseeable\s+)?future"
        r"|the\s+past(?!\s+(?:\d|few|several))|recently|lately|currently|presently|nowadays"
        r"|now|right\s+now|at\s+present|these\s+days|at\s+the\s+moment|soon"
        r"|recent\s+(?:years|months|weeks|days|decades|times|quarters)"
        r"|the\s+(?:near|short)\s+term|(?:(?<=\ba\s)|(?<=\bthe\s))?(?:later|future)\s+date"
        r"|(?<![\w-])(?:current|recent|future)(?=\s+[a-z])",
    ),
    (
        "month",
        rf"(?:(?:last|this|next|early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)"
        rf"[-\s]+)?(?:{MONTH_FULL})(?:\s+(?:of\s+)?(?:last|this|next)\s+year)?(?![\w-])",
    ),
    (
        "season",
        rf"(?:(?:last|this|next|early|late|the|the\s+early|the\s+late)\s+){_SEASON}(?![\w-])",
    ),
    ("weekend", r"the\s+weekend(?!s)"),
    ("weekof", rf"the\s+week\s+of\s+{_MONTH_ANY}\s+{_DAY}(?:,?\s+{_YEAR})?"),
    (
        "boundary",
        r"(?:the\s+)?(?:year|month)(?:-end|\s+end|[’']s\s+end)(?![\w-])"
        r"|the\s+(?:end|beginning|start|middle)\s+of\s+(?:the|this|next|last)\s+"
        r"(?:year|month|week)(?![\w-])",
    ),
    ("anaphor", r"(?:that|the\s+same)\s+(?:week|month|year)(?![\w-])|the\s+same\s+day(?![\w-])"),
    ("yearperiod", r"the\s+(?:fiscal\s+|financial\s+)?year(?=\s+(?:end(?:ed|ing)|to)\b)"),
    (
        "theyear",
        r"the\s+(?:full\s+|fiscal\s+|current\s+|calendar\s+)?year(?![\w-])"
        r"(?!\s+(?:before|after|earlier|ago|later|of|in|when|that|(?:1\d|20)\d\d))",
    ),
    ("holiday", _HOLIDAY),
]

_LEAD = r"(?<![\w'’.-])"


def _compile(names: list[str] | None, flags: int = 0) -> re.Pattern:
    alternatives = [f"(?P<{n}>{rx})" for n, rx in RULES if names is None or n in names]
    # No expression ends inside a word: "now" is not in "nowhere".
    return re.compile(_LEAD + "(?:" + "|".join(alternatives) + ")(?![^\\W_])", flags)


# One pattern per keyword class, holding only that class's rules: far cheaper than
# all rules at once. Patterns for lower-cased text (sre's case-insensitive matching
# costs 2-3× more), and case-insensitive ones for the rare text whose lower-casing
# changes its length.
CLASS_PATTERNS = {cls: _compile(names.split()) for cls, names in CLASS_RULES.items()}
CLASS_PATTERNS_ANY_CASE = {
    cls: _compile(names.split(), re.IGNORECASE) for cls, names in CLASS_RULES.items()
}
PATTERN = _compile(None, re.IGNORECASE)  # every rule: for tests and debugging

# A digit starts an expression only in these shapes (a year, an ordinal, a clock
# time, a date, a count followed by a unit or a month); any other number is skipped
# before the rules are tried.
DIGIT_CONTEXT = re.compile(
    r"(?:(?:1\d|20)\d\d(?!\d)|\d+(?:,\d{3})*(?:(?:st|nd|rd|th|s)\b|[:/.-]\d|\s1/2"
    r"|\s?(?:a\.?m|p\.?m)\b|[\s-]+(?:(?:more|additional|extra|further|full|long|short|trading"
    r"|business|working|calendar|straight|consecutive|school)\s+)?(?:second|minute|hour|day"
    r"|week|fortnight|month|quarter|year|decade|centur|in\s+the\s+(?:morning|afternoon"
    rf"|evening)|{MONTH_FULL}|{MONTH_ABBR}(?![a-z]))))",
    re.IGNORECASE,
)
