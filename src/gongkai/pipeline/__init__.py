"""The build sequence and what changes a build: ``build`` (lists → kg.trig and items.csv),
``sequence`` (read → graph → validate → reports → store → statistics, published as one version
of the build folder), ``stats`` (the overview's figures), ``add_list`` (a list added to a
running build, as the app's import does).
"""
