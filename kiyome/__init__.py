"""Kiyome (清め): Japanese corpus curation and data governance on Apache Beam."""

__version__ = "0.1.0"
