"""Stage 4, map: model → RDF. The only place that knows the ontology's terms (``namespaces``): IRIs
minted by a deterministic policy (``iris``), a list mapped to its named graph (``mapping``), the
controlled vocabularies (``vocabulary``), the legal authority data as a graph (``legal``), named
graphs written as TriG/N-Quads/Turtle (``serialize``).
"""
