-- Which current articles best match these words (BM25 over title, description and body, each article stemmed in its language)?
-- Params: q (the words); site, category, since, until (published on or after / before or on, YYYY-MM-DD), limit (default 20): optional.
WITH stemmers AS (
    -- The fts extension's index (schema fts_main_search_documents) scored as its match_bm25
    -- does (k1 = 1.2, b = 0.75), but reading the query's terms only: the query is stemmed once
    -- per stemmer in the archive and each article is matched by the stems of its language.
    SELECT DISTINCT stemmer FROM search_documents
), query_terms AS (
    SELECT DISTINCT s.stemmer, unnest(search_words($q, s.stemmer)) AS term FROM stemmers s
), terms AS (
    SELECT d.termid, d.df, q.stemmer, q.term
    FROM fts_main_search_documents.dict d JOIN query_terms q ON q.term = d.term
), term_frequency AS (
    SELECT docid, termid, count(*) AS tf
    FROM fts_main_search_documents.terms
    WHERE termid IN (SELECT termid FROM terms)
    GROUP BY ALL
), stats AS (
    SELECT num_docs, avgdl FROM fts_main_search_documents.stats
), scored AS (
    SELECT docs.name AS canonical_url,
           sum(ln((stats.num_docs - t.df + 0.5) / (t.df + 0.5) + 1)
               * tf.tf * 2.2 / (tf.tf + 1.2 * (0.25 + 0.75 * docs.len / stats.avgdl))) AS score
    FROM term_frequency tf
    JOIN terms t USING (termid)
    JOIN fts_main_search_documents.docs docs USING (docid)
    JOIN search_documents sd ON sd.canonical_url = docs.name AND sd.stemmer = t.stemmer
    CROSS JOIN stats
    GROUP BY docs.name
), hits AS (
    SELECT a.*, s.score, sd.stemmer
    FROM scored s
    JOIN articles a USING (canonical_url)
    JOIN search_documents sd USING (canonical_url)
    WHERE ($site IS NULL OR a.site = $site)
      AND ($category IS NULL OR a.category = $category)
      AND ($since IS NULL OR a.published >= CAST($since AS DATE))
      AND ($until IS NULL OR a.published <= CAST($until AS DATE))
    ORDER BY s.score DESC, a.canonical_url
    LIMIT coalesce(CAST($limit AS INTEGER), 20)
), words AS (
    -- The snippet: the body's words around the first one whose stem the query holds.
    SELECT h.*, string_split_regex(trim(h.body), '\s+') AS body_words,
           (SELECT list(term) FROM query_terms q WHERE q.stemmer = h.stemmer) AS stems
    FROM hits h
), located AS (
    SELECT *, list_position(list_transform(body_words,
                  w -> len(list_intersect(search_words(w, stemmer), stems)) > 0), true) AS first_match
    FROM words
), final AS (
    SELECT row_number() OVER (ORDER BY score DESC, canonical_url) AS rank,
           title, published, canonical_url AS url,
           CASE WHEN first_match IS NULL THEN left(coalesce(description, body), 160)
                ELSE (CASE WHEN first_match > 8 THEN '…' ELSE '' END)
                     || array_to_string(body_words[greatest(first_match - 8, 1):first_match + 16], ' ')
                     || (CASE WHEN first_match + 16 < len(body_words) THEN '…' ELSE '' END) END AS snippet,
           round(score, 3) AS score
    FROM located
)
SELECT * FROM final ORDER BY rank
