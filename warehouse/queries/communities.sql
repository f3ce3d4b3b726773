-- What communities does the link graph form: their size, top articles (by PageRank) and main categories?
-- Params: since, until (members published in the period, YYYY-MM-DD), limit (communities, default 10): optional.
WITH members AS (
    SELECT m.community, m.pagerank, a.title, a.category, a.canonical_url
    FROM article_metrics m JOIN articles a USING (canonical_url)
    WHERE ($since IS NULL OR a.published >= CAST($since AS DATE))
      AND ($until IS NULL OR a.published <= CAST($until AS DATE))
), categories AS (
    SELECT community, list(category || ' (' || n || ')' ORDER BY n DESC, category) AS categories
    FROM (SELECT community, coalesce(category, '(none)') AS category, count(*) AS n FROM members GROUP BY ALL)
    GROUP BY community
), final AS (
    SELECT community, count(*) AS articles,
           list(title ORDER BY pagerank DESC, canonical_url)[1:3] AS top_articles,
           any_value(c.categories)[1:3] AS top_categories,
           round(sum(pagerank), 4) AS pagerank_share
    FROM members JOIN categories c USING (community)
    GROUP BY community HAVING count(*) >= 2
)
SELECT * FROM final ORDER BY articles DESC, community LIMIT coalesce(CAST($limit AS INTEGER), 10)
