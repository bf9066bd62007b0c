"""newsgraph: who said what, where, when, citing which social media posts, from news articles."""

__version__ = "0.1.0"
