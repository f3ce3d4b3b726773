-- Which articles are most central in the link graph (PageRank, HITS), and how many editorial links reach them in the period?
-- Params: since, until (the linking article's publication day, YYYY-MM-DD), limit (default 10): optional.
WITH window_links AS (
    SELECT e.target_url AS canonical_url, count(*) AS in_links, count(DISTINCT e.source_url) AS linking_articles
    FROM editorial_edges e
    JOIN articles src ON src.canonical_url = e.source_url
    WHERE ($since IS NULL OR src.published >= CAST($since AS DATE))
      AND ($until IS NULL OR src.published <= CAST($until AS DATE))
    GROUP BY 1
), final AS (
    SELECT a.title, a.category, round(m.pagerank, 5) AS pagerank, round(m.authority, 3) AS authority,
           round(m.hub, 3) AS hub, w.in_links, w.linking_articles, m.community, a.canonical_url
    FROM window_links w
    JOIN article_metrics m USING (canonical_url)
    JOIN articles a USING (canonical_url)
)
SELECT * FROM final ORDER BY pagerank DESC, canonical_url LIMIT coalesce(CAST($limit AS INTEGER), 10)
