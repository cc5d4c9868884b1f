"""Where a post row came from: the order in which rows of one post win."""

from __future__ import annotations

import enum


class Origin(enum.IntEnum):
    """Where a post record came from; lower wins when the same post is seen twice."""

    PERMALINK = 0  # the post's own page (merged with its feed entry when there is one)
    API = 1  # an API/feed entry whose permalink page could not be used
    LISTING = 2  # a post read off a home/listing page
    # A later page of a post's comments: never chosen while another row exists; its
    # comments are merged into the chosen row (ordered by ``extra["comment_offset"]``).
    COMMENTS = 3
