"""The distributed crawl: workers sharing one frontier in Redis (``blogarchive seed``, ``blogarchive worker``)."""
