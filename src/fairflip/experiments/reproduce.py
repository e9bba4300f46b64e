"""Moved to :mod:`fairflip.reproduce`; this path warns on use and goes in 0.3."""

from fairflip._deprecate import moved_names

__getattr__ = moved_names(__name__, {
    "STUDY_MODULES": "fairflip.reproduce",
    "Study": "fairflip.reproduce",
    "paper_datasets": "fairflip.reproduce",
    "register_study": "fairflip.reproduce",
    "reproduce": "fairflip.reproduce",
    "reproduce_configs": "fairflip.reproduce",
})
