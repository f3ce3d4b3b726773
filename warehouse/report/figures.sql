-- The figures of `clippings report`, each a named query over the scope's views (scope.sql).
-- A block starts with "-- figure: NAME" and the question it answers.

-- figure: totals
-- How much did the scope fetch, archive and find?
SELECT (SELECT count(*) FROM r_crawls) AS crawls,
       (SELECT count(*) FROM r_captures) AS pages_fetched,
       (SELECT count(*) FROM r_captures WHERE record_type = 'revisit') AS revisits,
       (SELECT coalesce(sum(warc_length), 0) FROM r_captures) AS bytes_archived,
       (SELECT coalesce(sum(content_length), 0) FROM r_captures) AS body_bytes,
       (SELECT count(*) FROM r_articles) AS articles,
       (SELECT count(*) FROM r_articles WHERE gone_at IS NOT NULL) AS gone,
       (SELECT count(*) FROM r_versions WHERE version = 1) AS new_articles,
       (SELECT count(*) FROM r_versions WHERE version > 1) AS changed_articles,
       (SELECT count(*) FROM r_rejects) AS rejects;

-- figure: span
-- When did the scope's fetching start and end?
SELECT min(fetched_at) AS first, max(fetched_at) AS last FROM r_captures;

-- figure: fetched_over_time
-- How many pages arrived in each interval ($unit: second, minute, hour or day)?
SELECT date_trunc($unit, fetched_at) AS moment, count(*) AS pages,
       count(*) FILTER (WHERE record_type = 'revisit') AS revisits
FROM r_captures GROUP BY ALL ORDER BY moment;

-- figure: status_codes
-- Which HTTP statuses came back, as full responses or revisits?
SELECT status, coalesce(record_type, 'response') AS record_type, count(*) AS pages
FROM r_captures GROUP BY ALL ORDER BY status, record_type;

-- figure: rejects
-- What did not yield what it should, by stage and reason, with example URLs?
SELECT stage, reason, count(*) AS urls, list(DISTINCT url ORDER BY url)[1:3] AS examples
FROM r_rejects GROUP BY ALL ORDER BY urls DESC, stage, reason;

-- figure: new_articles
-- Which articles did the scope's crawls find for the first time?
SELECT canonical_url, title, captured_at, crawl_id FROM r_versions WHERE version = 1
ORDER BY captured_at, canonical_url;

-- figure: changed_articles
-- Which articles changed, and in which fields?
SELECT canonical_url, title, version, changed_fields, captured_at, crawl_id FROM r_versions
WHERE version > 1 ORDER BY captured_at, canonical_url;

-- figure: gone_articles
-- Which articles were taken down (404 or 410), and when were they last there?
SELECT canonical_url, title, last_seen, gone_at FROM r_articles WHERE gone_at IS NOT NULL
ORDER BY gone_at, canonical_url;

-- figure: published_days
-- How many of the scope's articles were published on each day?
SELECT published AS day, count(*) AS articles FROM r_articles WHERE published IS NOT NULL
GROUP BY ALL ORDER BY day;

-- figure: central_articles
-- Which articles are most central in the link graph (PageRank of article_metrics, written by the
-- graph task after each load), and how many editorial links reach them?
SELECT m.canonical_url, a.title, round(m.pagerank, 5) AS pagerank, round(m.authority, 3) AS authority,
       m.in_degree AS editorial_in_links, m.community
FROM article_metrics m JOIN r_articles a USING (canonical_url)
ORDER BY m.pagerank DESC, m.canonical_url LIMIT 10;

-- figure: site_links
-- Which sites do the scope's articles link to, and how often (current versions, every kind)?
SELECT l.source_site AS source, l.target_site AS target, count(*) AS links
FROM site_link_rows l JOIN r_articles a ON a.canonical_url = l.source_url
GROUP BY ALL ORDER BY links DESC, source, target LIMIT 40;

-- figure: crawls
-- Which crawls does the report cover, with their settings and timing?
SELECT crawl_id, start_urls, started, finished, epoch(finished - started) AS seconds, finish_reason,
       pages_fetched, articles, rejects, bytes, parser_version, reparse_of,
       json_extract(summary, '$.depth')::INTEGER AS depth, json_extract(summary, '$.max_pages')::INTEGER AS max_pages,
       json_extract(summary, '$.peak_memory_bytes')::BIGINT AS peak_memory_bytes,
       json_extract(summary, '$.bodies_fetched')::INTEGER AS bodies_fetched
FROM r_crawls ORDER BY started;
