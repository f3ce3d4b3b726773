-- Which archived articles do other articles link to most, and through which kinds of link?
-- Params: none.
WITH incoming AS (
    SELECT target_url AS canonical_url,
           count(*) AS in_links,
           count(*) FILTER (WHERE kind = 'related') AS from_related,
           count(*) FILTER (WHERE kind = 'body') AS from_body
    FROM edges
    GROUP BY target_url
), final AS (
    SELECT a.title, a.category, i.in_links, i.from_related, i.from_body, a.canonical_url
    FROM incoming i JOIN articles a USING (canonical_url)
)
SELECT * FROM final ORDER BY in_links DESC, title LIMIT 10
