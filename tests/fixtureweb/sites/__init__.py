"""The fixture sites, one module per platform (and the fake Wayback Machine and fault pages)."""
