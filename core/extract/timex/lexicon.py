"""Word tables of the time-expression finder: months, weekdays, numbers, keywords.

Returns nothing; imported by ``timex_rules``, ``timex_spans``, ``timex_traps`` and
``timex_values``.
"""

from __future__ import annotations

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

HOLIDAYS = (
    "christmas",
    "new year",
    "thanksgiving",
    "easter",
    "boxing",
    "independence",
    "halloween",
    "valentine",
    "bastille",
    "labor",
    "labour",
    "memorial",
    "veterans",
    "armistice",
    "good friday",
)

# Every expression contains a keyword (or a digit). The class of the first keyword
# found decides which rules are tried: one combined regex with every rule costs
# ~30 µs a position, a class's few rules a fraction of that.
KEYWORD_CLASSES = {
    "month": [*MONTHS, *MONTH_ABBR],
    "weekday": [*WEEKDAYS, *(w + "s" for w in WEEKDAYS)],
    "unit": """second seconds minute minutes hour hours day days week weeks fortnight
        fortnights month months year years decade decades century centuries quarter quarters
        weekend weekends period""".split(),
    "part": "morning afternoon evening night nights mornings evenings".split(),
    "deictic": "today yesterday tomorrow tonight overnight".split(),
    "ref": """now recently lately currently presently nowadays soon
        future past present moment recent current term date""".split(),
    "setword": """daily weekly monthly annually yearly hourly nightly quarterly biweekly
        fortnightly""".split(),
    "season": "summer winter spring fall autumn".split(),
    "ago": ["ago"],
    "half": ["half"],
    "q": ["q1", "q2", "q3", "q4"],
    "decadeword": "twenties thirties forties fifties sixties seventies eighties nineties".split(),
    "holiday": """christmas thanksgiving easter boxing independence halloween valentine
        bastille labor labour memorial veterans armistice""".split(),
    "clockword": ["noon", "midnight", "midday"],
    "spoken": ["nineteen", "eighteen"],
}
CLASS_RULES = {
    "digit": "iso numeric clock dm quarter qrel ago set duration decade century yearmod year",
    "month": "md my set month",
    "weekday": "md dm weekday set holiday",
    "unit": """quarter qrel half ago relunit set duration century boundary anaphor
        yearperiod spokenyear theyear weekend weekof holiday ref""",
    "part": "part set",
    "deictic": "part",
    "ref": "ref relunit duration qrel",
    "setword": "set",
    "season": "relunit yearmod season set",
    "ago": "ago",
    "half": "half duration ago",
    "q": "qshort",
    "decadeword": "decade",
    "holiday": "holiday",
    "clockword": "clock",
    "spoken": "spokenyear",
}
KEYWORD_CLASS = {w: cls for cls, words in KEYWORD_CLASSES.items() for w in words}
KEYWORDS = frozenset(KEYWORD_CLASS)
# Words that may open an expression before its keyword ("the past two weeks").
PREFIX_WORDS = frozenset(
    [*NUMBER_WORDS, *ORDINALS, *WEEKDAYS]
    + """latest recent same comparable corresponding the a an about around nearly almost
    roughly approximately some over under more less than at least most up to just only
    barely another full early mid late last this next preceding
    past previous coming current following final earlier later each every per other once
    twice times few several many couple of number half and fiscal end beginning start middle
    shortly before after new good right these near distant foreseeable immediate trading
    business working calendar school additional extra further straight consecutive long
    short year ago earlier s hundred time that fifth sixth seventh eighth ninth tenth eleventh
    twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
    twentieth twenty thirty forty fifty sixty seventy eighty ninety one two three four five
    six seven eight nine ten eleven twelve""".split()
)
# Of those, the ones that can be the first word of an expression (not "of", "than", ...).
OPENING_WORDS = PREFIX_WORDS - frozenset(
    "of and to than least most s times time number couple ago year hundred".split()
)

# Context lexicons for the trap filters of timex_traps.
TEMPORAL_CUES = frozenset(
    """in on since by until till from to through during before after of early late mid
    last this next around circa c. between and or throughout fiscal""".split()
)
COUNT_NOUNS = frozenset(
    """people persons men women children troops soldiers police officers jobs workers staff
    employees students voters votes seats members homes houses cars vehicles units copies
    tonnes tons barrels shares dollars pounds euros yuan yen miles km kilometres kilometers
    metres meters feet ft inches acres hectares points runs goals words pages calories
    cases deaths victims refugees migrants passengers visitors fans spectators delegates
    flights planes tanks missiles rockets guns rifles bombs drones ships boats firms
    companies stores shops branches schools hospitals beds patients doctors nurses
    users customers subscribers viewers listeners readers followers downloads items
    times places rooms lines calls texts emails messages signatures names tickets""".split()
)
PRODUCT_WORDS = frozenset(
    """version windows office iphone xbox playstation ps model route highway interstate
    flight room suite apartment platform gate chapter section article resolution rule
    page pages no no. number nos # code act bill hr s. vol volume issue episode season
    postcode zip zipcode
    part phase exhibit tab figure table""".split()
)
RATE_WORDS = frozenset("million billion thousand hundred times once twice dollars cents".split())
NOT_PLURAL = frozenset(
    "was has is this his its less across plus always perhaps various thus us yes whereas".split()
)
