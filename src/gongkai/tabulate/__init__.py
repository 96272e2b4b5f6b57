"""Stage 2, tabulate: cell grid → raw rows. Knows the layout of a disclosure table (its header,
its columns' roles, rows continued over pages, categories carried down), nothing about RDF.

``table.tabulate`` is the entry: ``header`` finds the header and the column roles, ``cells``
says what a cell's text looks like, ``align`` puts each row's cells under the header's
columns, ``rows`` groups the rows into items; ``stream`` first turns a text whose cells
come one after another (no row boundaries) into rows.
"""
