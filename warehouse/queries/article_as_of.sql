-- What did the archive hold for one article at a given moment: which version, captured when, saying what?
-- Params: url (canonical URL or an alias), as_of (a timestamp, e.g. 2026-01-31 12:00:00+00).
WITH page AS (
    SELECT coalesce((SELECT canonical_url FROM aliases WHERE alias_url = $url), $url) AS url
), final AS (
    SELECT v.version, v.captured_at, v.crawl_id, v.changed_fields, v.title, v.published,
           v.modified, v.word_count, v.body, v.canonical_url
    FROM article_versions v, page
    WHERE v.canonical_url = page.url AND v.captured_at <= $as_of::TIMESTAMPTZ
    ORDER BY v.version DESC
    LIMIT 1
)
SELECT * FROM final
