-- The archive as of one moment, as temporary views over a read-only connection.
-- The moment and the optional site come from the one-row table snap_params (bound with ?),
-- so nothing is formatted into SQL. Ordered for byte-identical exports.

CREATE OR REPLACE TEMP VIEW snap_crawls AS
SELECT c.* FROM crawls c, snap_params p
WHERE c.finished <= p.as_of
ORDER BY c.crawl_id;

CREATE OR REPLACE TEMP VIEW snap_captures AS
SELECT c.* FROM captures c, snap_params p
WHERE c.crawl_id IN (SELECT crawl_id FROM snap_crawls) AND c.fetched_at <= p.as_of
  AND (p.site IS NULL OR regexp_extract(c.url, '^[a-z]+://([^/:]+)', 1) = p.site
       OR ends_with(regexp_extract(c.url, '^[a-z]+://([^/:]+)', 1), '.' || p.site))
ORDER BY c.fetched_at, c.warc_file, c.warc_offset;

-- Each article in the version current at the moment, unless it was gone by then.
CREATE OR REPLACE TEMP VIEW snap_articles AS
WITH current AS (
    SELECT v.canonical_url, max(v.version) AS version
    FROM article_versions v, snap_params p
    WHERE v.captured_at <= p.as_of AND v.crawl_id IN (SELECT crawl_id FROM snap_crawls)
    GROUP BY ALL
)
SELECT a.canonical_url, a.url, a.site, v.version, v.title, v.description, v.authors, v.category,
       v.tags, v.language, v.published, v.modified, v.body, v.word_count, v.content_sha256,
       v.payload_sha256, v.parser_version, v.crawl_id, v.captured_at, a.first_seen
FROM current c
JOIN article_versions v USING (canonical_url, version)
JOIN articles a USING (canonical_url), snap_params p
WHERE (a.gone_at IS NULL OR a.gone_at > p.as_of) AND (p.site IS NULL OR a.site = p.site)
ORDER BY a.canonical_url;

CREATE OR REPLACE TEMP VIEW snap_sections AS
SELECT s.* FROM sections s
JOIN snap_articles a ON a.canonical_url = s.canonical_url AND a.version = s.version
ORDER BY s.canonical_url, s.ordinal;

-- Link targets resolve only to articles the snapshot holds.
CREATE OR REPLACE TEMP VIEW snap_links AS
SELECT l.* REPLACE (CASE WHEN l.target_article IN (SELECT canonical_url FROM snap_articles)
                         THEN l.target_article END AS target_article)
FROM links l
JOIN snap_articles a ON a.canonical_url = l.source_url AND a.version = l.version
ORDER BY l.source_url, l.ordinal;

CREATE OR REPLACE TEMP VIEW snap_aliases AS
SELECT al.* FROM aliases al
WHERE al.canonical_url IN (SELECT canonical_url FROM snap_articles)
ORDER BY al.alias_url;

CREATE OR REPLACE TEMP VIEW snap_rejects AS
SELECT r.* FROM rejects r
WHERE r.crawl_id IN (SELECT crawl_id FROM snap_crawls)
ORDER BY r.crawl_id, r.url, r.stage, r.reason;
