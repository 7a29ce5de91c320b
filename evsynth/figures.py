"""Saving a matplotlib figure as SVG and PNG with no date, creator or software stamp, atomically, so
a rerun gives the same bytes (every stage's figures go through here)."""

from __future__ import annotations

from pathlib import Path

from evsynth.fileio import atomic_path


def save_figure(fig, svg_path: str | Path, png_path: str | Path, dpi: int = 150,
                svg_metadata: dict | None = None) -> None:
    import matplotlib.pyplot as plt

    try:
        with atomic_path(svg_path) as tmp:
            fig.savefig(tmp, format="svg", metadata=svg_metadata or {"Date": None})
        with atomic_path(png_path) as tmp:
            fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    finally:
        plt.close(fig)
