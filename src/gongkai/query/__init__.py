"""Stage 7, query: the query library (``library``: queries/*.rq with their headers),
running a query on a store (``run``), and its results as people read them (``results``).
"""
