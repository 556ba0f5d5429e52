"""Names of people and organisations: capitalised-sequence scanning, word lists, the name finder.

``scan`` finds capitalised sequences, ``reading`` reads one sequence out of context, ``people``
settles an article's names in context (cue words, aliases), ``orgs`` holds the organisation
signals inside one article (acronym definitions, a company's short name, teams in results),
``headline`` cuts names in a Title Case headline, ``words`` the word lists.

Imports only downward: ``core.extract.surface`` and ``core.extract.places`` (the gazetteer).
"""
