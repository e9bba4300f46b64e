"""Errors raised by fairflip.

Every error that bad user input can cause is a :class:`FairflipError`, whose message is a
single line naming the problem; the CLI prints that line and exits non-zero.
"""

__all__ = ["FairflipError", "DataError", "ConfigError", "DownloadRequiredError"]


class FairflipError(ValueError):
    """Base class for input errors; the message is one line."""


class DataError(FairflipError):
    """The data is malformed: missing column, non-binary label, NaN, unknown group value."""


class ConfigError(FairflipError):
    """A parameter or configuration value is out of range or malformed."""


class DownloadRequiredError(FairflipError):
    """The data set is not on disk and downloading was not requested."""
