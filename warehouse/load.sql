-- How one staged crawl is loaded, statement by statement, inside one transaction.
-- Parameters: $crawl_id, $summary (crawl.json as text), $<table>_file (staged Parquet paths).

INSERT INTO captures
SELECT crawl_id, url, status, fetched_at, content_type, content_length, payload_sha256,
       warc_file, warc_offset, warc_length, depth, referrer, location
FROM read_parquet($captures_file)
ON CONFLICT DO NOTHING;

-- Upsert the current version of each article; first_seen/last_seen span all crawls.
INSERT INTO articles
SELECT canonical_url, url, site, title, description, authors, category, tags, language,
       try_cast(left(published, 10) AS DATE), try_cast(published AS TIMESTAMPTZ),
       try_cast(left(modified, 10) AS DATE), try_cast(modified AS TIMESTAMPTZ),
       body, word_count, content_sha256, payload_sha256, parser_version, crawl_id,
       fetched_at, fetched_at
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
    last_seen = greatest(articles.last_seen, excluded.last_seen);

-- Sections and links follow the version just loaded.
DELETE FROM sections WHERE canonical_url IN (SELECT canonical_url FROM read_parquet($articles_file));

INSERT INTO sections
SELECT canonical_url, ordinal, heading, level, text FROM read_parquet($sections_file);

DELETE FROM links WHERE source_url IN (SELECT canonical_url FROM read_parquet($articles_file));

INSERT INTO links
SELECT source_url, ordinal, target_url, NULL, anchor_text, kind, related_title,
       related_category, related_summary, try_cast(related_published AS DATE)
FROM read_parquet($links_file);

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
