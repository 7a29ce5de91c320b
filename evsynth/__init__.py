"""evsynth: reproducible evidence synthesis for systematic reviews."""

__version__ = "0.1.0"
