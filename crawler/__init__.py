"""blogarchive: archive blogs as WARC files and Parquet datasets (see README)."""

__version__ = "0.1.0"
