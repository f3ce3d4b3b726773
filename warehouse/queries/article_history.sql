-- How has one article changed across crawls: every version, when it was captured, which fields changed?
-- Params: url (canonical URL or an alias).
WITH page AS (
    SELECT coalesce((SELECT canonical_url FROM aliases WHERE alias_url = $url), $url) AS url
), final AS (
    SELECT v.version, v.captured_at, v.crawl_id, v.changed_fields, v.title, v.word_count,
           v.content_sha256
    FROM article_versions v, page WHERE v.canonical_url = page.url
)
SELECT * FROM final ORDER BY version
