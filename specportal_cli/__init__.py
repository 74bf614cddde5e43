"""specportal: the command-line client of SpecPortal's REST API (standard library only)."""

__version__ = "0.1.0"
