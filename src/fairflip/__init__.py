"""fairflip: minority collective action for fairness."""

__version__ = "0.1.0"
