"""The distributed crawl: workers sharing one frontier in Redis (``blogarchive seed``, ``blogarchive worker``).

- ``frontier``: the Redis keys of a crawl and every call on them (seeds, requests, blogs, workers);
  ``scripts``: its Lua scripts, each step a crash must not cut in two.
- ``leases``: a request or seed taken stays the worker's until durable; ``scheduler``: scrapy-redis's
  scheduler and queue over the frontier.
- ``book``: per-blog accounting shared in Redis; ``pipeline``: the shard pipeline that settles leases.
- ``worker``: a worker's directory, its settings and its spider.
"""
