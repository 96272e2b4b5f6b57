"""Stores: one protocol, several backends, chosen by one setting.

- ``EmbeddedStore``  pyoxigraph, in memory or persistent on disk (the default: fast joins
  and aggregates, bulk loading).
- ``MemoryStore``    rdflib in memory (small data and tests: its SPARQL engine is slow on
  joins past a few thousand items).
- ``RemoteStore``    any SPARQL 1.1 endpoint (``gongkai.store.remote``).

Every backend answers the library's queries against the *union* of its named graphs, and
takes parameters as (variable → RDF term) bindings, never pasted into the text: pyoxigraph
``substitutions``, rdflib ``initBindings``, or a ``VALUES`` block written from the terms
(``values_block``/``bind_values``) and placed at the start of the query's WHERE group.
Results come back as rdflib terms so that callers need not know the backend.

One difference between backends shapes how the library's queries are written: the
Oxigraph server and Virtuoso make the union default graph a *bag* (a triple stored in two
graphs matches twice), rdflib makes it a set. Queries that may meet a triple in several
graphs (organisations, categories, article subdivisions and unresolved legal resources
are described again in every list that names them) use ``DISTINCT`` and
``COUNT(DISTINCT …)``, so that every backend gives the same rows.

The embedded store goes further, because a bag costs more than duplicate rows: a label
repeated in 10,000 list graphs multiplies every join through it by 10,000. It keeps the
set union itself, in its default graph — every triple of every named graph, once — and
answers queries against that default graph. Loading mirrors what it loads; replacing or
dropping a list's graph removes from the mirror only the triples no other graph holds,
in the same update (all or nothing). Named graphs stay as they are, so ``GRAPH ?g { … }``
patterns see the lists one by one. A store written before the mirror existed (named
graphs, empty default graph) is read with the bag union, as before.

The package, in the order a request meets it: ``guard`` (what may run), ``sparql_text``
(binding parameters without a parser), ``base`` (the protocol and results), the backends
``embedded``, ``memory`` (with ``subqueries``), ``remote``, ``worker`` (queries with a time
limit in a worker process); ``lifecycle`` (the build folder's store), ``push``, ``server``.
"""
