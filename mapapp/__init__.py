"""mapapp: news articles about armed conflict -> dated, attributed, located events on a map."""

__version__ = "0.1.0"
