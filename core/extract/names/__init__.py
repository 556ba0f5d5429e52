"""Names of people and organisations: capitalised-sequence scanning, word lists, the name finder.

Imports only downward: ``core.extract.surface`` and ``core.extract.places`` (the gazetteer).
"""
