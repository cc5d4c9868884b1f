"""The shared feed reader (crawler.parsers.feeds): Atom, RSS 2.0 and RSS 1.0 read alike."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.parsers.feeds import is_feed, parse_xml, read_feed

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <title>Un blog</title>
  <link rel="self" href="https://x.example/atom.xml"/>
  <link rel="alternate" type="text/html" href="https://x.example/blog/"/>
  <entry>
    <title>Premier billet</title>
    <link rel="replies" href="https://x.example/blog/2013/05/premier.html#comments"/>
    <link rel="alternate" type="text/html" href="/blog/2013/05/premier.html"/>
    <id>tag:typepad.com,2003:post-6a00d8341c</id>
    <published>2013-05-02T10:30:00-07:00</published>
    <updated>2013-05-03T08:00:00Z</updated>
    <author><name>Anne</name></author>
    <category term="Voyages"/><category term="Voyages"/><category term="Photos"/>
    <summary>Le début…</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Le texte <b>entier</b>.</p></div></content>
    <thr:total>4</thr:total>
  </entry>
</feed>"""

RSS2 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel><title>Chez moi</title><link>http://y.example/</link>
<item>
  <title>Item</title><link>http://feeds.feedburner.com/~r/y/~3/abc</link>
  <feedburner:origLink>http://y.example/archives/2014/03/05/123.html</feedburner:origLink>
  <pubDate>Wed, 05 Mar 2014 10:22:00 +0100</pubDate>
  <dc:creator>Marie</dc:creator>
  <category>Cuisine</category>
  <media:content url="http://y.example/photo.jpg" medium="image"/>
  <description>&lt;p&gt;Résumé&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>Tout le billet</p>]]></content:encoded>
</item>
<item><title>Sans lien</title><guid isPermaLink="false">42</guid><author>moi@y.example (Paul)</author></item>
</channel></rss>"""

RSS091 = """<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Vieux</title>
<item><title>Un</title><link>http://z.example/2004/08/un.html</link><description>Texte</description></item>
</channel></rss>"""

RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://z.example/"><title>RDF blog</title><link>http://z.example/</link></channel>
<item rdf:about="http://z.example/2004/08/deux.html"><title>Deux</title><link>http://z.example/2004/08/deux.html</link>
<dc:date>2004-08-23T10:35:20-05:00</dc:date><dc:subject>Politics</dc:subject></item>
</rdf:RDF>"""


def test_atom_entry_fields():
    feed = read_feed(ATOM, "https://x.example/atom.xml")
    assert feed is not None and feed.title == "Un blog" and feed.link == "https://x.example/blog/"
    (entry,) = feed.entries
    assert entry.link == "https://x.example/blog/2013/05/premier.html"  # the alternate link, made absolute
    assert entry.id == "tag:typepad.com,2003:post-6a00d8341c"
    assert (entry.title, entry.author, entry.tags) == ("Premier billet", "Anne", ["Voyages", "Photos"])
    assert entry.published is not None and entry.published.offset == -7 * 60
    assert entry.published.utc == datetime(2013, 5, 2, 17, 30, tzinfo=timezone.utc)
    assert entry.updated is not None and entry.updated.utc == datetime(2013, 5, 3, 8, tzinfo=timezone.utc)
    assert "<b>entier</b>" in (entry.body_html or "") and not entry.summary_only  # content before summary
    assert entry.comment_count == 4


def test_rss2_entry_fields():
    feed = read_feed(RSS2, "http://y.example/rss.xml")
    assert feed is not None and (feed.title, feed.link) == ("Chez moi", "http://y.example/")
    first, second = feed.entries
    assert first.link == "http://y.example/archives/2014/03/05/123.html"  # FeedBurner's origLink first
    assert first.body_html == "<p>Tout le billet</p>"  # content:encoded; media:content is no body
    assert (first.author, first.tags) == ("Marie", ["Cuisine"])
    assert first.published is not None and first.published.utc == datetime(
        2014, 3, 5, 9, 22, tzinfo=timezone.utc
    )
    assert second.link is None  # a guid that is no permalink is not the entry's page
    assert second.author == "Paul"  # RSS <author>: "mail (Name)"


def test_rss091_with_doctype_and_rss1():
    assert is_feed(RSS091) and is_feed(RDF) and not is_feed("<html><body>rss</body></html>")
    old = read_feed(RSS091, "http://z.example/index.rss")
    assert old is not None and [e.link for e in old.entries] == ["http://z.example/2004/08/un.html"]
    rdf = read_feed(RDF, "http://z.example/index.rdf")
    assert rdf is not None and rdf.title == "RDF blog"
    (entry,) = rdf.entries
    assert entry.published is not None and entry.published.offset == -5 * 60


def test_not_a_feed_and_no_external_entities():
    assert read_feed("<html><body><p>hello</p></body></html>", "http://x.example/") is None
    assert read_feed("", "http://x.example/") is None
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><title>&x;</title></channel></rss>"
    )
    feed = read_feed(xxe, "http://x.example/rss")
    assert feed is not None and "root:" not in (feed.title or "")
    assert parse_xml("not xml at all") is None and parse_xml("  ") is None
