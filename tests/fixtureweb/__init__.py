"""A fixture web: synthetic blogs of every platform served over HTTP on loopback.

Tests and the benchmarks crawl it with the real Scrapy engine; the demo ships a recording of
four of its plain blogs (``tests.fixtureweb.demo_data``), not the fixture web.
Each site is generated deterministically from its options (same options, same bytes),
so a test can build the same site in-process to know what the crawl must find.
Sites live in ``tests.fixtureweb.sites.<name>`` and expose ``make_site(**options)``.
"""
