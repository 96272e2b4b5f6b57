"""Deadlines (时限): the working-day calendar (``calendar``), due dates with their explanation
(``due``, ``export`` for iCalendar and CSV), the build's time limits as a catalogue
(``catalogue``), the check of publication records against them (``overdue``), and the
results of a check as RDF (``rdf``).
"""
