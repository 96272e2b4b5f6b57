"""Stage 5, validate: SHACL shapes (shapes/) compiled to SPARQL (``compile``) and run over each
list's graph (``run``), over files, lists or a build (``inputs``), reported in zh/en (``results``,
``reports``); pyshacl is the reference engine (``reference``).
"""
