"""Legal sources: the authority data (``registry``: issuing bodies, sources, versions in force),
the keys that let two writings of one source meet (``keys``), resolving a citation to a source and
version (``resolve``), finding a source by title, alias, document number or pinyin (``search``), the clauses of the
Regulations on Open Government Information an item implements (``clauses``).
"""
