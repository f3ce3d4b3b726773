-- How one staged crawl is loaded, statement by statement, inside one transaction.
-- Parameters: $crawl_id, $summary (crawl.json as text), $<table>_file (staged Parquet paths).

INSERT INTO captures BY NAME
SELECT crawl_id, url, status, fetched_at, content_type, content_length, payload_sha256,
       warc_file, warc_offset, warc_length, depth, referrer, location, record_type,
       warc_record_id, refers_to, etag, last_modified, sitemap_lastmod
FROM read_parquet($captures_file)
ON CONFLICT DO NOTHING;

-- A new version for every staged article whose content differs from the current one.
INSERT INTO article_versions
WITH staged AS (
    SELECT *, try_cast(left(published, 10) AS DATE) AS published_day,
           try_cast(left(modified, 10) AS DATE) AS modified_day
    FROM read_parquet($articles_file)
)
SELECT s.canonical_url, coalesce(a.version, 0) + 1, s.crawl_id, s.fetched_at, s.content_sha256,
       s.payload_sha256, s.parser_version,
       CASE WHEN a.canonical_url IS NULL THEN ['new'] ELSE list_filter([
           CASE WHEN a.title IS DISTINCT FROM s.title THEN 'title' END,
           CASE WHEN a.description IS DISTINCT FROM s.description THEN 'description' END,
           CASE WHEN a.authors IS DISTINCT FROM s.authors THEN 'authors' END,
           CASE WHEN a.category IS DISTINCT FROM s.category THEN 'category' END,
           CASE WHEN a.tags IS DISTINCT FROM s.tags THEN 'tags' END,
           CASE WHEN a.published IS DISTINCT FROM s.published_day THEN 'published' END,
           CASE WHEN a.modified IS DISTINCT FROM s.modified_day THEN 'modified' END,
           CASE WHEN a.body IS DISTINCT FROM s.body THEN 'body' END], lambda f: f IS NOT NULL) END,
       s.title, s.description, s.authors, s.category, s.tags, s.language, s.published_day,
       s.modified_day, s.body, s.word_count
FROM staged s LEFT JOIN articles a USING (canonical_url)
WHERE a.canonical_url IS NULL OR a.content_sha256 IS DISTINCT FROM s.content_sha256;

-- Upsert the current version of each article; first_seen/last_seen span all crawls.
INSERT INTO articles
SELECT canonical_url, url, site, title, description, authors, category, tags, language,
       try_cast(left(published, 10) AS DATE), try_cast(published AS TIMESTAMPTZ),
       try_cast(left(modified, 10) AS DATE), try_cast(modified AS TIMESTAMPTZ),
       body, word_count, content_sha256, payload_sha256, parser_version, crawl_id,
       fetched_at, fetched_at, 1, NULL
FROM read_parquet($articles_file)
ON CONFLICT (canonical_url) DO UPDATE SET
    url = excluded.url, site = excluded.site, title = excluded.title,
    description = excluded.description, authors = excluded.authors,
    category = excluded.category, tags = excluded.tags, language = excluded.language,
    published = excluded.published, published_at = excluded.published_at,
    modified = excluded.modified, modified_at = excluded.modified_at, body = excluded.body,
    word_count = excluded.word_count, content_sha256 = excluded.content_sha256,
    payload_sha256 = excluded.payload_sha256, parser_version = excluded.parser_version,
    crawl_id = excluded.crawl_id,
    first_seen = least(articles.first_seen, excluded.first_seen),
    last_seen = greatest(articles.last_seen, excluded.last_seen),
    gone_at = NULL;

UPDATE articles SET version = v.version
FROM (SELECT canonical_url, max(version) AS version FROM article_versions GROUP BY ALL) v
WHERE articles.canonical_url = v.canonical_url AND articles.version IS DISTINCT FROM v.version;

-- Known articles found unchanged (sitemap lastmod, 304, identical payload) were seen again.
UPDATE articles SET last_seen = greatest(articles.last_seen, seen.at)
FROM (
    SELECT r.url, coalesce(max(c.fetched_at), $finished::TIMESTAMPTZ) AS at
    FROM read_parquet($revisits_file) r
    LEFT JOIN read_parquet($captures_file) c ON c.url = r.url
    GROUP BY r.url
) seen
WHERE articles.canonical_url = seen.url;

-- Articles whose URL now answers 404 or 410 are gone; last_seen keeps when they were last there.
UPDATE articles SET gone_at = gone.at
FROM (
    SELECT url, min(fetched_at) AS at FROM read_parquet($captures_file)
    WHERE status IN (404, 410) GROUP BY url
) gone
WHERE articles.canonical_url = gone.url AND articles.gone_at IS NULL;

-- Sections and links of each version created by this load (an unchanged article keeps its own).
INSERT INTO sections
SELECT s.canonical_url, v.version, s.ordinal, s.heading, s.level, s.text
FROM read_parquet($sections_file) s
JOIN article_versions v ON v.canonical_url = s.canonical_url AND v.crawl_id = $crawl_id;

INSERT INTO links
SELECT l.source_url, v.version, l.ordinal, l.target_url, NULL, l.anchor_text, l.kind,
       l.related_title, l.related_category, l.related_summary, try_cast(l.related_published AS DATE)
FROM read_parquet($links_file) l
JOIN article_versions v ON v.canonical_url = l.source_url AND v.crawl_id = $crawl_id;

INSERT INTO aliases
SELECT alias_url, any_value(canonical_url), any_value(reason), any_value(crawl_id)
FROM read_parquet($aliases_file) GROUP BY alias_url
ON CONFLICT (alias_url) DO UPDATE SET canonical_url = excluded.canonical_url,
    reason = excluded.reason, crawl_id = excluded.crawl_id;

INSERT INTO rejects
SELECT crawl_id, url, stage, reason, status, referrer FROM read_parquet($rejects_file);

-- Resolve link targets to archived articles, directly or through an alias.
UPDATE links SET target_article = coalesce(
    (SELECT a.canonical_url FROM articles a WHERE a.canonical_url = links.target_url),
    (SELECT al.canonical_url FROM aliases al WHERE al.alias_url = links.target_url))
WHERE target_article IS NULL;

INSERT INTO crawls
WITH given AS (
    SELECT from_json($summary, '{"start_urls": "VARCHAR[]", "started": "TIMESTAMPTZ",
        "finished": "TIMESTAMPTZ", "finish_reason": "VARCHAR", "pages_fetched": "INTEGER",
        "articles": "INTEGER", "rejects": "INTEGER", "bytes": "BIGINT",
        "parser_version": "VARCHAR", "reparse_of": "VARCHAR"}') AS s
)
SELECT $crawl_id, s.start_urls, s.started, s.finished, s.finish_reason, s.pages_fetched,
       s.articles, s.rejects, s.bytes, s.parser_version, s.reparse_of, $summary::JSON,
       current_timestamp
FROM given;
