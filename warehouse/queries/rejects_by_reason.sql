-- What failed in the crawls, at which stage, and how often?
-- Params: none.
WITH final AS (
    SELECT stage, reason, count(*) AS urls, min(url) AS example_url FROM rejects GROUP BY ALL
)
SELECT * FROM final ORDER BY urls DESC, stage, reason
