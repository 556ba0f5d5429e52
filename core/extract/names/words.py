"""The word lists the name finder reads capitalised sequences with.

Lower-case words; ours (a reader's cues, not a model's), split from ``core.extract.names.people``
to keep that module about the rules. Each list says what it is for.
"""

from __future__ import annotations

TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president vice prime
    minister chancellor king queen prince princess pope senator sen sen. rep rep. representative
    congressman congresswoman gov gov.
    governor general gen gen. colonel col col. captain capt capt. lt lieutenant sergeant sgt
    ambassador judge justice professor sheikh rev rev. father mayor premier secretary chairman
    chairwoman leader emperor empress marshal admiral commander deputy foreign defence defense
    interior finance home state chief executive director coach manager striker midfielder
    defender goalkeeper mother sister saint speaker whip attorney agent senators
    representatives reps congressmen congresswomen governors""".split()
)
# Lower-case words that announce a name ("Russian leader Vladimir Putin", "said coach Bob Smith").
ROLE_WORDS = frozenset(
    """leader president minister ambassador envoy spokesman spokeswoman spokesperson official
    chairman chairwoman chief executive director secretary premier counterpart diplomat general
    commander coach manager striker midfielder defender goalkeeper captain player actor actress
    singer star author writer editor analyst economist professor lawyer judge mayor governor
    senator congressman congresswoman candidate founder boss dr mr mrs ms""".split()
)
# Descriptions glued before a first name and surname at a sentence start ("Veteran Kelly
# Holmes"); not role nouns that end a name, since some are surnames ("John Skipper").
DESCRIPTIONS = frozenset(
    "veteran champion skipper winger teenager youngster rookie newcomer".split()
)
ORG_WORDS = frozenset(
    """bank party ministry council university college school institute agency commission
    committee association federation union league club corporation corp corp. inc inc. ltd
    ltd. plc group company co co. airlines airways news times post journal herald telegraph
    tribune daily service services department office court army navy police board fund trust
    foundation authority organisation organization network motors industries holdings
    exchange parliament assembly government cabinet church center centre hospital
    airport united rovers wanderers athletic fc city newsroom lines manufacturing systems
    technologies international partners capital securities financial petroleum oil energy
    mining resources communications electronics pharmaceuticals chemical chemicals steel foods
    stores products brands enterprises investments ventures bancorp bancshares savings
    insurance railroad railway railways press broadcasting television radio bureau alliance
    society academy consortium coalition movement institution tribunal secretariat directorate
    sa spa ag nv bv gmbh llc plc bhd pty""".split()
)
# An organisation's last word that says it is a company: the words before it name the same
# company later in the article ("Ruch SA" ... "Ruch", "Pirelli SpA" ... "Pirelli").
CORPORATE = frozenset(
    """inc inc. corp corp. co co. ltd ltd. plc llc sa spa ag nv bv gmbh bhd pty group holdings
    bancorp airlines airways motors industries""".split()
)
# The last word of an event, a prize or a competition: neither a person nor an organisation.
EVENT_WORDS = frozenset(
    """cup trophy open championship championships marathon games olympics festival awards
    award prize series tournament classic grand prix derby""".split()
)
# Capitalised at a sentence start, not a name.
FUNCTION_WORDS = frozenset(
    """the a an in on at by for from with to of and but or so as if when while after before
    since until though although because he she it they we i you his her its their our my your
    this that these those there here what who which where why how all some many most more
    no not yes also then thus meanwhile however still yet now today yesterday tomorrow last
    next every each both one two three four five six seven eight nine ten first second third
    new former some such other another under over into during against between about without
    according despite following can could should would must might does did do is are was
    were has have had shall
    meet watch listen exclusive breaking""".split()  # a headline's opening call: "Meet X"
)
MONTHS = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep
    sept oct nov dec gmt edt est bst utc""".split()
)


WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# "Sampras said": one capitalised word before a speech verb is a person's (surname).
SPEECH_VERBS = frozenset("said says told added argued insisted explained warned".split())
GROUPS = frozenset(
    """officials traders dealers analysts witnesses brokers sources police ministry government
    residents doctors experts economists investigators prosecutors authorities reports
    health universe court army committee organisers organizers others lawmakers legislators
    senators democrats republicans conservatives liberals tories socialists communists
    nationalists militants rebels insurgents protesters campaigners ministers officers troops
    soldiers unions fans critics supporters voters senate congress department parliament
    government cabinet""".split()
)
DIRECTIONS = frozenset(
    """north south east west northern southern eastern western central greater downtown metro
    inner outer old new upper lower mid""".split()
)
