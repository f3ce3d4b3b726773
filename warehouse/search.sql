-- Refreshing the full-text index after a load (inside the load's transaction). What the index
-- covers (search_documents, schema.sql) is updated for the articles that changed, appeared,
-- were taken down or changed language: stemming is the costly part, so unchanged articles keep
-- their stemmed text. The 2 hashed with the text is the terms' format (search_terms): changing
-- that macro means bumping it, so that every article is stemmed again. The fts extension's BM25 index has no incremental update, so it is then
-- rebuilt over the stemmed text; its postings are stored in term order, so a query's few terms
-- read a few row groups instead of every posting.
DELETE FROM search_documents s
WHERE NOT EXISTS (SELECT 1 FROM articles a
                  WHERE a.canonical_url = s.canonical_url AND a.gone_at IS NULL
                    AND hash(a.title, a.description, a.body, 2) = s.content_hash
                    AND search_stemmer(a.language) = s.stemmer);
INSERT INTO search_documents
SELECT canonical_url, stemmer, hash(title, description, body, 2),
       array_to_string(search_terms(title, stemmer), ' '),
       array_to_string(search_terms(description, stemmer), ' '),
       array_to_string(search_terms(body, stemmer), ' ')
FROM (SELECT *, search_stemmer(language) AS stemmer FROM articles a
      WHERE gone_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM search_documents s WHERE s.canonical_url = a.canonical_url));
DELETE FROM search_stemmers;
INSERT INTO search_stemmers SELECT DISTINCT stemmer FROM search_documents;
PRAGMA create_fts_index('search_documents', 'canonical_url', 'title', 'description', 'body',
                        stemmer = 'none', stopwords = 'none', ignore = '\s+', strip_accents = 0, lower = 0,
                        overwrite = 1);
CREATE OR REPLACE TABLE fts_main_search_documents.terms AS
SELECT * FROM fts_main_search_documents.terms ORDER BY termid, docid;
DELETE FROM search_docs;
INSERT INTO search_docs
SELECT d.docid, d.name, s.stemmer, d.len, a.site, a.category, a.published
FROM fts_main_search_documents.docs d
JOIN articles a ON a.canonical_url = d.name
JOIN search_documents s ON s.canonical_url = d.name
ORDER BY d.docid;
