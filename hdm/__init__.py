"""Health Data Masking on one machine: the local runtime, the ``hdm`` command, the local API."""

__version__ = "0.1.0"
