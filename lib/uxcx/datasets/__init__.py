"""Data sets: the deterministic sample study with planted, documented effects."""
