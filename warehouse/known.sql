-- What the archive already holds of each URL, exported before an incremental crawl
-- (one JSON line per URL): the latest payload and its WARC record for revisit records, the
-- validators for conditional GETs, the sitemap lastmod last seen, and whether it is a live article.
WITH latest AS (
    SELECT url,
           arg_max(etag, fetched_at) AS etag,
           arg_max(last_modified, fetched_at) AS last_modified,
           arg_max(sitemap_lastmod, fetched_at) FILTER (WHERE sitemap_lastmod IS NOT NULL) AS sitemap_lastmod,
           max(fetched_at) AS fetched_at
    FROM captures WHERE status IN (200, 304) GROUP BY url
), payload AS (
    SELECT url,
           arg_max(payload_sha256, fetched_at) AS payload_sha256,
           arg_max(warc_record_id, fetched_at) AS warc_record_id,
           max(fetched_at) AS payload_at
    FROM captures
    WHERE status = 200 AND coalesce(record_type, 'response') = 'response' AND warc_record_id IS NOT NULL
    GROUP BY url
)
SELECT l.url, p.payload_sha256, p.warc_record_id,
       strftime(p.payload_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS warc_date,
       l.etag, l.last_modified, l.sitemap_lastmod,
       strftime(l.fetched_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%f+00:00') AS fetched_at,
       (a.canonical_url IS NOT NULL AND a.gone_at IS NULL) AS is_article
FROM latest l
JOIN payload p USING (url)
LEFT JOIN articles a ON a.canonical_url = l.url
ORDER BY l.url
