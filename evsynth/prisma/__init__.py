"""PRISMA 2020: the flow counts (in the PRISMA2020 R package's CSV) and the flow diagram."""

from evsynth.prisma.counts import PrismaFlow, flow_checks_table, flow_counts, prisma2020_table
from evsynth.prisma.run import load_flow, run_prisma

__all__ = ["PrismaFlow", "flow_checks_table", "flow_counts", "load_flow", "prisma2020_table", "run_prisma"]
