-- Between which categories do articles link (source category -> target category), by link kind?
-- Params: none.
WITH flows AS (
    SELECT coalesce(s.category, '(none)') AS from_category,
           coalesce(t.category, '(none)') AS to_category,
           e.kind
    FROM edges e
    JOIN articles s ON s.canonical_url = e.source_url
    JOIN articles t ON t.canonical_url = e.target_url
), final AS (
    SELECT from_category, to_category, kind, count(*) AS links FROM flows GROUP BY ALL
)
SELECT * FROM final ORDER BY links DESC, from_category, to_category, kind
