"""Benchmarks (`make bench`). Never timed assertions in tests; see ../shared/PERFORMANCE.md."""
