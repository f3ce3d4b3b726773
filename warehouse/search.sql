-- Refreshing the full-text index after a load (inside the load's transaction), for the articles
-- that changed, appeared, were taken down or changed language only: the others keep their
-- postings, so a load of a few articles costs a few articles' worth of work at any archive size.
-- content_hash covers everything the index holds of an article; the 3 hashed with it is the
-- index's format: changing how articles are split into terms means bumping it, so that every
-- article is indexed again. Document frequencies are kept exact by subtracting the postings
-- taken out and adding those put in (search_vocabulary.df).

-- Indexed articles whose postings go: gone, taken down, or no longer what was indexed.
CREATE OR REPLACE TEMP TABLE search_stale AS
SELECT s.docid FROM search_articles s
WHERE NOT EXISTS (SELECT 1 FROM articles a
                  WHERE a.canonical_url = s.canonical_url AND a.gone_at IS NULL
                    AND hash(a.title, a.description, a.body, a.site, a.category, a.published, 3) = s.content_hash
                    AND search_stemmer(a.language) = s.stemmer);
UPDATE search_vocabulary v SET df = v.df - taken.articles
FROM (SELECT termid, count(*) AS articles FROM search_postings
      WHERE docid IN (SELECT docid FROM search_stale) GROUP BY termid) taken
WHERE v.termid = taken.termid;
DELETE FROM search_postings WHERE docid IN (SELECT docid FROM search_stale);
DELETE FROM search_articles WHERE docid IN (SELECT docid FROM search_stale);

-- Current articles not indexed (new, changed, or back), numbered after the highest docid.
CREATE OR REPLACE TEMP TABLE search_new AS
SELECT (SELECT coalesce(max(docid), 0) FROM search_articles) + row_number() OVER (ORDER BY canonical_url) AS docid,
       canonical_url, search_stemmer(language) AS stemmer,
       hash(title, description, body, site, category, published, 3) AS content_hash,
       site, category, published, title, description, body
FROM articles a
WHERE gone_at IS NULL AND NOT EXISTS (SELECT 1 FROM search_articles s WHERE s.canonical_url = a.canonical_url);

-- Their words, counted per article; each distinct word is stemmed once (stem() per occurrence
-- was most of version 6's refresh).
CREATE OR REPLACE TEMP TABLE search_new_words AS
SELECT docid, stemmer, word, count(*) AS tf
FROM (SELECT docid, stemmer, unnest(search_tokens(title)) AS word FROM search_new
      UNION ALL SELECT docid, stemmer, unnest(search_tokens(description)) FROM search_new
      UNION ALL SELECT docid, stemmer, unnest(search_tokens(body)) FROM search_new)
GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE search_new_stems AS
SELECT stemmer, word, stem(word, stemmer) AS term FROM (SELECT DISTINCT stemmer, word FROM search_new_words);
INSERT INTO search_vocabulary
SELECT (SELECT coalesce(max(termid), 0) FROM search_vocabulary) + row_number() OVER (ORDER BY stemmer, term),
       stemmer, term, 0
FROM (SELECT DISTINCT stemmer, term FROM search_new_stems) n
WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary v WHERE v.stemmer = n.stemmer AND v.term = n.term);

INSERT INTO search_articles
SELECT n.docid, n.canonical_url, n.stemmer, n.content_hash, coalesce(w.len, 0), n.site, n.category, n.published
FROM search_new n LEFT JOIN (SELECT docid, sum(tf) AS len FROM search_new_words GROUP BY docid) w USING (docid);
CREATE OR REPLACE TEMP TABLE search_new_postings AS
SELECT v.termid, w.docid, sum(w.tf) AS tf
FROM search_new_words w
JOIN search_new_stems s USING (stemmer, word)
JOIN search_vocabulary v ON v.stemmer = s.stemmer AND v.term = s.term
GROUP BY ALL;
INSERT INTO search_postings
SELECT p.termid, p.docid, p.tf, a.len
FROM search_new_postings p JOIN search_articles a USING (docid)
ORDER BY p.termid, p.docid;
UPDATE search_vocabulary v SET df = v.df + added.articles
FROM (SELECT termid, count(*) AS articles FROM search_new_postings GROUP BY termid) added
WHERE v.termid = added.termid;
DELETE FROM search_vocabulary WHERE df = 0;
-- Appended since the last sort; none when these are all the postings (they went in sorted).
UPDATE search_index SET appended = CASE WHEN (SELECT count(*) FROM search_postings) = (SELECT count(*) FROM search_new_postings)
                                        THEN 0 ELSE appended + (SELECT count(*) FROM search_new_postings) END;

DELETE FROM search_stemmers;
INSERT INTO search_stemmers SELECT DISTINCT stemmer FROM search_articles;
DROP TABLE search_stale;
DROP TABLE search_new;
DROP TABLE search_new_words;
DROP TABLE search_new_stems;
DROP TABLE search_new_postings;
