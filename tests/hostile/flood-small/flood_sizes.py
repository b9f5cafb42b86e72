"""Test-scale flood (MiB), past tests/profiles/hostile.yaml's limits: 1 MiB bodies, 64 KiB of log, 8 MiB data."""

BODY_MB = 8
LOG_MB = 4
DATA_MB = 20
