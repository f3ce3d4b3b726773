-- The subgraph an export holds, as two temporary tables (a read-only session may create them).
-- Edges: the `edges` view's links of the chosen kinds ($kinds) whose source article is of $site
-- and published in [$since, $until] (each NULL: no filter), one edge per (source, target, kind)
-- weighted by its number of links. Nodes: the articles those filters select, plus every article
-- an edge ends at, with their analytics (article_metrics) when the graph task has run.
CREATE OR REPLACE TEMP TABLE export_edges AS
SELECT e.source_url, e.target_url, e.kind, count(*) AS weight, any_value(src.published) AS source_published
FROM edges e JOIN articles src ON src.canonical_url = e.source_url
WHERE list_contains($kinds, e.kind)
  AND ($site IS NULL OR src.site = $site)
  AND ($since IS NULL OR src.published >= CAST($since AS DATE))
  AND ($until IS NULL OR src.published <= CAST($until AS DATE))
GROUP BY e.source_url, e.target_url, e.kind;
CREATE OR REPLACE TEMP TABLE export_nodes AS
SELECT a.canonical_url, a.title, a.site, a.category, a.published, m.pagerank, m.community
FROM articles a LEFT JOIN article_metrics m USING (canonical_url)
WHERE (($site IS NULL OR a.site = $site)
       AND ($since IS NULL OR a.published >= CAST($since AS DATE))
       AND ($until IS NULL OR a.published <= CAST($until AS DATE)))
   OR a.canonical_url IN (SELECT source_url FROM export_edges UNION SELECT target_url FROM export_edges);
