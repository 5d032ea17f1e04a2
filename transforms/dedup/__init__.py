"""Dedup: exact (hash of normalized text) first, then near (MinHash LSH)."""
