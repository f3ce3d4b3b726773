-- Which sites does a site cite (its own included), through which kinds of link, and how often?
-- Params: site (the citing registrable domain), since, until (the citing article's publication day, YYYY-MM-DD): optional.
WITH rows AS (
    SELECT * FROM site_link_rows
    WHERE ($site IS NULL OR source_site = $site)
      AND ($since IS NULL OR source_published >= CAST($since AS DATE))
      AND ($until IS NULL OR source_published <= CAST($until AS DATE))
), final AS (
    SELECT source_site, target_site, kind, count(*) AS links,
           count(DISTINCT source_url) AS citing_articles, count(DISTINCT target_url) AS cited_urls
    FROM rows GROUP BY ALL
)
SELECT * FROM final ORDER BY source_site, links DESC, target_site, kind
