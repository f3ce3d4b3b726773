-- Which articles cite the same articles (bibliographic coupling: shared outgoing links), most shared first?
-- Params: url (only pairs with this article), since, until (both articles' publication day, YYYY-MM-DD), limit (default 20): optional.
WITH period AS (
    SELECT * FROM citations
    WHERE ($since IS NULL OR source_published >= CAST($since AS DATE))
      AND ($until IS NULL OR source_published <= CAST($until AS DATE))
), pairs AS (
    SELECT a.source_url AS first_url, b.source_url AS second_url, count(*) AS shared_citations
    FROM period a JOIN period b ON a.target_url = b.target_url AND a.source_url < b.source_url
    WHERE $url IS NULL OR $url IN (a.source_url, b.source_url)
    GROUP BY ALL
), final AS (
    SELECT p.shared_citations, f.title AS first_title, s.title AS second_title, p.first_url, p.second_url
    FROM pairs p JOIN articles f ON f.canonical_url = p.first_url JOIN articles s ON s.canonical_url = p.second_url
)
SELECT * FROM final ORDER BY shared_citations DESC, first_url, second_url LIMIT coalesce(CAST($limit AS INTEGER), 20)
