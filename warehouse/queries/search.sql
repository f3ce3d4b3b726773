-- Which current articles best match these words (BM25 over title, description and body, each article stemmed in its language)?
-- Params: q (the words); site, category, since, until (published on or after / before or on, YYYY-MM-DD), limit (default 20): optional.
WITH query_terms AS (
    -- BM25 as the fts extension's match_bm25 scores it (k1 = 1.2, b = 0.75), over the index of
    -- schema.sql (search_postings): the query is stemmed once per stemmer in the archive, and
    -- each of its terms reads only its own postings (they are stored in term order).
    SELECT DISTINCT s.stemmer, unnest(search_words($q, s.stemmer)) AS term FROM search_stemmers s
), stats AS (
    SELECT count(*)::DOUBLE AS num_docs, avg(len) AS avgdl FROM search_articles
), terms AS (
    -- match_bm25: idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl)), k1 = 1.2, b = 0.75,
    -- with what depends on the term only worked out once per term, in DOUBLE (not DECIMAL).
    SELECT v.termid, ln((stats.num_docs - v.df + 0.5) / (v.df + 0.5) + 1) AS idf,
           CAST(1.2 * (1 - 0.75) AS DOUBLE) AS per_article, 1.2 * 0.75 / stats.avgdl AS per_length
    FROM search_vocabulary v JOIN query_terms q USING (stemmer, term) CROSS JOIN stats
), scored AS (
    SELECT p.docid, sum(t.idf * p.tf * 2.2 / (p.tf + t.per_article + t.per_length * p.len)) AS score
    FROM search_postings p JOIN terms t USING (termid)
    GROUP BY p.docid
), filtered AS (
    -- Only a search with filters meets search_articles here (each branch is empty otherwise).
    SELECT docid, score FROM scored
    WHERE $site IS NULL AND $category IS NULL AND $since IS NULL AND $until IS NULL
    UNION ALL
    SELECT s.docid, s.score FROM scored s JOIN search_articles d USING (docid)
    WHERE NOT ($site IS NULL AND $category IS NULL AND $since IS NULL AND $until IS NULL)
      AND ($site IS NULL OR d.site = $site)
      AND ($category IS NULL OR d.category = $category)
      AND ($since IS NULL OR d.published >= CAST($since AS DATE))
      AND ($until IS NULL OR d.published <= CAST($until AS DATE))
), cutoff AS (
    -- The limit-th best score: the hits are the articles scoring at least that, ties by URL.
    SELECT min(score) AS score FROM (SELECT score FROM filtered ORDER BY score DESC
                                     LIMIT coalesce(CAST($limit AS INTEGER), 20))
), best AS MATERIALIZED (
    SELECT docid, score FROM filtered WHERE score >= (SELECT score FROM cutoff)
), hits AS (
    SELECT d.canonical_url, d.stemmer, b.score FROM best b JOIN search_articles d USING (docid)
    ORDER BY b.score DESC, d.canonical_url
    LIMIT coalesce(CAST($limit AS INTEGER), 20)
), stems AS (
    SELECT stemmer, string_agg(term, '|') AS pattern FROM query_terms GROUP BY stemmer
), words AS (
    -- The snippet: the body around the first word that starts with one of the query's stems.
    SELECT h.*, a.title, a.published, a.description, a.body,
           regexp_extract(lower(a.body), '(^|[^[:alnum:]])(' || s.pattern || ')', 0) AS found
    FROM hits h JOIN articles a USING (canonical_url) JOIN stems s USING (stemmer)
), located AS (
    SELECT *, CASE WHEN found <> '' THEN strpos(lower(body), found) END AS first_match FROM words
), final AS (
    SELECT row_number() OVER (ORDER BY score DESC, canonical_url) AS rank,
           title, published, canonical_url AS url,
           CASE WHEN first_match IS NULL THEN left(coalesce(description, body), 160)
                WHEN length(body) <= 160 THEN body
                WHEN first_match <= 60 THEN regexp_replace(left(body, 160), '\s+\S*$', '') || '…'
                ELSE '…' || regexp_replace(regexp_replace(substring(body, first_match - 60, 160),
                                                          '^\S*\s+', ''), '\s+\S*$', '') || '…' END AS snippet,
           round(score, 3) AS score
    FROM located
)
SELECT * FROM final ORDER BY rank
