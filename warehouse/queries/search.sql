-- Which current articles best match these words (BM25 over title, description and body, each article stemmed in its language)?
-- Params: q (the words); site, category, since, until (published on or after / before or on, YYYY-MM-DD), limit (default 20): optional.
WITH query_terms AS (
    -- The fts extension's index (schema fts_main_search_documents) scored as its match_bm25
    -- does (k1 = 1.2, b = 0.75), reading the postings of the query's terms only: the query is
    -- stemmed once per stemmer in the archive, and its tagged terms ('english:run') meet only
    -- the articles of that stemmer's languages.
    SELECT DISTINCT s.stemmer, unnest(search_words($q, s.stemmer)) AS word FROM search_stemmers s
), terms AS (
    SELECT d.termid, d.df FROM fts_main_search_documents.dict d
    JOIN query_terms q ON d.term = q.stemmer || ':' || q.word
), term_frequency AS (
    SELECT p.docid, p.termid, count(*) AS tf
    FROM fts_main_search_documents.terms p JOIN terms USING (termid)
    GROUP BY ALL
), scored AS (
    SELECT d.docid, d.canonical_url, d.stemmer,
           sum(ln((stats.num_docs - t.df + 0.5) / (t.df + 0.5) + 1)
               * tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * d.len / stats.avgdl))) AS score
    FROM term_frequency tf
    JOIN terms t USING (termid)
    JOIN search_docs d USING (docid)
    CROSS JOIN fts_main_search_documents.stats stats
    WHERE ($site IS NULL OR d.site = $site)
      AND ($category IS NULL OR d.category = $category)
      AND ($since IS NULL OR d.published >= CAST($since AS DATE))
      AND ($until IS NULL OR d.published <= CAST($until AS DATE))
    GROUP BY d.docid, d.canonical_url, d.stemmer
), hits AS (
    SELECT canonical_url, stemmer, score FROM scored
    ORDER BY score DESC, canonical_url
    LIMIT coalesce(CAST($limit AS INTEGER), 20)
), words AS (
    -- The snippet: the body around the first word that starts with one of the query's stems.
    SELECT h.*, a.title, a.published, a.description, a.body,
           regexp_extract(lower(a.body), '(^|[^[:alnum:]])(' ||
               (SELECT string_agg(q.word, '|') FROM query_terms q WHERE q.stemmer = h.stemmer) || ')', 0) AS found
    FROM hits h JOIN articles a USING (canonical_url)
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
