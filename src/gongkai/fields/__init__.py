"""Stage 3, parse: cell text → model values. Pure functions from text to the model's types:
citations of legal sources (``citations``), time limits (``timelimits``), channels, check marks
(``marks``), the heading's metadata (``metadata``); ``parse`` runs them over a raw table's rows
and builds the ``DisclosureList``.
"""
