"""The prospect area under /me: magic-link accounts, priorities, saved homes, my data.

Services (records, priorities, signals, favourites, preferences, my_data, ...) take
explicit arguments; ``current`` is the one module that reads the request; the
blueprint lives in ``views``; ``fit`` ranks listings by what matters.
"""
