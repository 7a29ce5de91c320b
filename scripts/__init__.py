"""Tools that are not rules: the example-review generator (``example_review``) and the benchmarks."""
