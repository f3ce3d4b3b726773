-- Which links from archived articles lead to pages of the same site that are not in the
-- archive, and why (the reject reason, or 'never fetched')?
-- Params: none.
WITH final AS (
    SELECT d.target_url, d.reason, d.kind, count(*) AS links, min(d.source_url) AS example_source
    FROM dangling d GROUP BY ALL
)
SELECT * FROM final ORDER BY links DESC, target_url
