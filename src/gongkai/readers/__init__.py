"""Stage 1, read: a file → a cell grid (``grid.CellGrid``: cells with their positions), one module
per format (xlsx, csv, html, docx, the text extractions: text_table, pipe_text, cell_lines), chosen
by content (``detect``, ``signatures``); what every reader shares: the heading text before the table
(``preamble``), text decoding (``textfile``), the limits on what is read (``limits``). Readers know
file formats, nothing about disclosure lists or RDF.
"""
