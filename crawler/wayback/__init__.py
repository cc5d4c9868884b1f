"""The Wayback Machine as a source of blog pages: ``cdx`` (pure: queries, answers, capture choice,
the CDX cache) and ``source`` (the component a spider holds that enumerates and fetches captures)."""
