"""The dataset release: snapshots of crawl outputs (rows, comments, shards, media, card, changelog) and their publishing."""
