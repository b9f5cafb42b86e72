"""Sizes of the flood (MiB); tests/hostile/flood-small puts a smaller copy of this module first on the path."""

BODY_MB = 100
LOG_MB = 300
DATA_MB = 300
