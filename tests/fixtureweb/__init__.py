"""A fixture web: synthetic blogs of every platform served over HTTP on loopback.

Tests, the offline demo and the benchmarks crawl it with the real Scrapy engine.
Each site is generated deterministically from its options (same options, same bytes),
so a test can build the same site in-process to know what the crawl must find.
Sites live in ``crawler.fixtureweb.sites.<name>`` and expose ``make_site(**options)``.
"""
