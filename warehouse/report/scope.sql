-- What a report covers, as temporary views over a read-only connection: one crawl, one site, or
-- the whole archive. The crawl id and site come from the one-row table report_params (bound with ?).

CREATE OR REPLACE TEMP VIEW r_crawls AS
SELECT c.* FROM crawls c, report_params p
WHERE p.crawl_id IS NULL OR c.crawl_id = p.crawl_id
ORDER BY c.started;

CREATE OR REPLACE TEMP VIEW r_captures AS
SELECT c.*, regexp_extract(c.url, '^[a-z]+://([^/:]+)', 1) AS host FROM captures c, report_params p
WHERE c.crawl_id IN (SELECT crawl_id FROM r_crawls)
  AND (p.site IS NULL OR regexp_extract(c.url, '^[a-z]+://([^/:]+)', 1) = p.site
       OR ends_with(regexp_extract(c.url, '^[a-z]+://([^/:]+)', 1), '.' || p.site));

CREATE OR REPLACE TEMP VIEW r_rejects AS
SELECT r.* FROM rejects r, report_params p
WHERE r.crawl_id IN (SELECT crawl_id FROM r_crawls)
  AND (p.site IS NULL OR regexp_extract(r.url, '^[a-z]+://([^/:]+)', 1) = p.site
       OR ends_with(regexp_extract(r.url, '^[a-z]+://([^/:]+)', 1), '.' || p.site));

-- Articles in scope: of the site; for one crawl, those it fetched (or found gone).
CREATE OR REPLACE TEMP VIEW r_articles AS
SELECT a.* FROM articles a, report_params p
WHERE (p.site IS NULL OR a.site = p.site)
  AND (p.crawl_id IS NULL OR a.canonical_url IN (SELECT url FROM r_captures));

-- Versions the scope's crawls made: version 1 is a new article, a later one a change.
CREATE OR REPLACE TEMP VIEW r_versions AS
SELECT v.*, a.site FROM article_versions v JOIN articles a USING (canonical_url), report_params p
WHERE v.crawl_id IN (SELECT crawl_id FROM r_crawls) AND (p.site IS NULL OR a.site = p.site);
