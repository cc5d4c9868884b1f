"""Performance measurements of blogarchive (not tests): ``python -m benchmarks.run``."""
