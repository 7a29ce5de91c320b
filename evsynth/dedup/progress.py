"""Progress lines for long runs: one line per stage on stderr, with counts and elapsed seconds."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable


class Progress:
    """``progress`` may be None (silent), True (stderr) or a callable taking one message string."""

    def __init__(self, progress: bool | Callable[[str], None] | None) -> None:
        if progress is True:
            self._emit: Callable[[str], None] | None = lambda message: print(message, file=sys.stderr, flush=True)
        elif callable(progress):
            self._emit = progress
        else:
            self._emit = None
        self.start = time.perf_counter()
        self.last = self.start
        self.timings: dict[str, float] = {}

    def __call__(self, stage: str, message: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self.last, 3)
        self.last = now
        if self._emit is not None:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            # CPU seconds beside the wall seconds: on a shared machine only they compare across runs
            self._emit(f"dedup: {stage}: {message} ({now - self.start:.1f} s, "
                       f"cpu {usage.ru_utime + usage.ru_stime:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB)")
