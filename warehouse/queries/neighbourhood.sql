-- For one article: which articles does it link to, and which link to it, by link kind?
-- Params: url (a canonical URL, or an alias of one).
WITH page AS (
    SELECT coalesce((SELECT canonical_url FROM aliases WHERE alias_url = $url), $url) AS url
), outgoing AS (
    SELECT 'links to' AS direction, e.kind, e.target_url AS other_url
    FROM edges e, page WHERE e.source_url = page.url
), incoming AS (
    SELECT 'linked from' AS direction, e.kind, e.source_url AS other_url
    FROM edges e, page WHERE e.target_url = page.url
), final AS (
    SELECT n.direction, n.kind, a.title AS other_title, a.category AS other_category, n.other_url
    FROM (SELECT * FROM outgoing UNION ALL SELECT * FROM incoming) n
    JOIN articles a ON a.canonical_url = n.other_url
)
SELECT * FROM final ORDER BY direction DESC, kind, other_title
