-- How one staged crawl is loaded, statement by statement, inside one transaction.
-- Parameters: $crawl_id, $summary (crawl.json as text), $finished, $<table>_file (staged Parquet
-- paths). Every INSERT is BY NAME: columns match by name, never by position.

INSERT INTO captures BY NAME
SELECT * FROM read_parquet($captures_file)
ON CONFLICT DO NOTHING;

-- Sitemap lastmods of pages this crawl first reached by links: the next poll can skip them.
UPDATE captures SET sitemap_lastmod = l.lastmod
FROM (SELECT url, max(lastmod) AS lastmod FROM read_parquet($lastmods_file) GROUP BY url) l
WHERE captures.crawl_id = $crawl_id AND captures.url = l.url AND captures.sitemap_lastmod IS NULL;

-- A new version for every staged article whose content differs from the current one.
INSERT INTO article_versions BY NAME
SELECT s.canonical_url, coalesce(a.version, 0) + 1 AS version, s.crawl_id, s.fetched_at AS captured_at,
       s.content_sha256, s.payload_sha256, s.parser_version,
       CASE WHEN a.canonical_url IS NULL THEN ['new'] ELSE list_filter([
           CASE WHEN a.title IS DISTINCT FROM s.title THEN 'title' END,
           CASE WHEN a.description IS DISTINCT FROM s.description THEN 'description' END,
           CASE WHEN a.authors IS DISTINCT FROM s.authors THEN 'authors' END,
           CASE WHEN a.category IS DISTINCT FROM s.category THEN 'category' END,
           CASE WHEN a.tags IS DISTINCT FROM s.tags THEN 'tags' END,
           CASE WHEN a.published IS DISTINCT FROM s.published_day THEN 'published' END,
           CASE WHEN a.modified IS DISTINCT FROM s.modified_day THEN 'modified' END,
           CASE WHEN a.body IS DISTINCT FROM s.body THEN 'body' END], lambda f: f IS NOT NULL) END
           AS changed_fields,
       s.title, s.description, s.authors, s.category, s.tags, s.language, s.published_day AS published,
       s.modified_day AS modified, s.body, s.word_count
FROM (
    SELECT *, try_cast(left(published, 10) AS DATE) AS published_day,
           try_cast(left(modified, 10) AS DATE) AS modified_day
    FROM read_parquet($articles_file)
) s LEFT JOIN articles a USING (canonical_url)
WHERE a.canonical_url IS NULL OR a.content_sha256 IS DISTINCT FROM s.content_sha256;

-- Upsert the current version of each article, by name: every staged column but the
-- staging-only ones (spiders.rows.ArticleRow.STAGING_ONLY) lands in the column of that name,
-- so a new staged column needs no change here. first_seen/last_seen span all crawls.
INSERT OR REPLACE INTO articles BY NAME
SELECT s.* EXCLUDE (fetched_at, depth) REPLACE (
           try_cast(left(s.published, 10) AS DATE) AS published,
           try_cast(left(s.modified, 10) AS DATE) AS modified),
       try_cast(s.published AS TIMESTAMPTZ) AS published_at,
       try_cast(s.modified AS TIMESTAMPTZ) AS modified_at,
       least(a.first_seen, s.fetched_at) AS first_seen,
       greatest(a.last_seen, s.fetched_at) AS last_seen,
       v.version,
       NULL AS gone_at
FROM read_parquet($articles_file) s
LEFT JOIN articles a USING (canonical_url)
LEFT JOIN (SELECT canonical_url, max(version) AS version FROM article_versions GROUP BY ALL) v
    USING (canonical_url);

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
INSERT INTO sections BY NAME
SELECT s.* EXCLUDE (crawl_id), v.version
FROM read_parquet($sections_file) s
JOIN article_versions v ON v.canonical_url = s.canonical_url AND v.crawl_id = $crawl_id;

INSERT INTO links BY NAME
SELECT l.* EXCLUDE (crawl_id) REPLACE (try_cast(l.related_published AS DATE) AS related_published),
       v.version
FROM read_parquet($links_file) l
JOIN article_versions v ON v.canonical_url = l.source_url AND v.crawl_id = $crawl_id;

-- An alias reached twice in one crawl keeps one row; a later crawl's row replaces an earlier one.
INSERT OR REPLACE INTO aliases BY NAME
SELECT DISTINCT ON (alias_url) * FROM read_parquet($aliases_file);

INSERT INTO rejects BY NAME
SELECT * FROM read_parquet($rejects_file);

-- Resolve link targets to archived articles, directly or through an alias.
UPDATE links SET target_article = coalesce(
    (SELECT a.canonical_url FROM articles a WHERE a.canonical_url = links.target_url),
    (SELECT al.canonical_url FROM aliases al WHERE al.alias_url = links.target_url))
WHERE target_article IS NULL;

INSERT INTO crawls BY NAME
WITH given AS (
    SELECT from_json($summary, '{"start_urls": "VARCHAR[]", "started": "TIMESTAMPTZ",
        "finished": "TIMESTAMPTZ", "finish_reason": "VARCHAR", "pages_fetched": "INTEGER",
        "articles": "INTEGER", "rejects": "INTEGER", "bytes": "BIGINT",
        "parser_version": "VARCHAR", "reparse_of": "VARCHAR"}') AS s
)
SELECT $crawl_id AS crawl_id, s.*, $summary::JSON AS summary
FROM given;
