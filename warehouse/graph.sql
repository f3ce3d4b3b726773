-- Writing one analytics run: the scores igraph computed (registered as graph_scores: node id,
-- pagerank, hub, authority, community) joined with the degrees and reciprocity DuckDB counts.
-- $computed_at is the run's moment. Runs inside one transaction (warehouse/graph.py).
DELETE FROM article_metrics;
INSERT INTO article_metrics
WITH editorial AS (
    SELECT source_url, target_url, count(*) AS links FROM editorial_edges GROUP BY ALL
), degree_out AS (
    SELECT source_url AS canonical_url, sum(links) AS out_degree FROM editorial GROUP BY 1
), degree_in AS (
    SELECT target_url AS canonical_url, sum(links) AS in_degree FROM editorial GROUP BY 1
), reciprocated AS (
    SELECT e.source_url AS canonical_url, count(*) AS reciprocated
    FROM editorial e JOIN editorial back ON back.source_url = e.target_url AND back.target_url = e.source_url
    GROUP BY 1
), by_kind AS (
    SELECT canonical_url,
           map(list(kind ORDER BY kind) FILTER (WHERE in_degree > 0), list(in_degree ORDER BY kind) FILTER (WHERE in_degree > 0)) AS in_by_kind,
           map(list(kind ORDER BY kind) FILTER (WHERE out_degree > 0), list(out_degree ORDER BY kind) FILTER (WHERE out_degree > 0)) AS out_by_kind
    FROM link_counts GROUP BY 1
)
SELECT n.canonical_url, s.pagerank, s.hub, s.authority,
       coalesce(di.in_degree, 0), coalesce(dg.out_degree, 0),
       coalesce(k.in_by_kind, MAP {}), coalesce(k.out_by_kind, MAP {}),
       coalesce(r.reciprocated, 0), s.community, CAST($computed_at AS TIMESTAMPTZ)
FROM article_nodes n
JOIN graph_scores s USING (node)
LEFT JOIN degree_in di USING (canonical_url)
LEFT JOIN degree_out dg USING (canonical_url)
LEFT JOIN reciprocated r USING (canonical_url)
LEFT JOIN by_kind k USING (canonical_url);
