"""Places and countries: the gazetteer (an Aho-Corasick automaton over curated place names)."""
