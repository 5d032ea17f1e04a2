"""Masking policies: the YAML files compliance officers edit, and their loader."""
