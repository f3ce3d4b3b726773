-- Clippings warehouse schema: the one source of truth for tables and views.
-- schema-version: 7
-- `warehouse.migrate` applies this file and records the version in schema_version. Every
-- statement is idempotent (IF NOT EXISTS / OR REPLACE), so applying it twice is harmless.

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- One row per crawl (or re-extraction, with reparse_of set); written last by each load.
CREATE TABLE IF NOT EXISTS crawls (
    crawl_id        VARCHAR PRIMARY KEY,       -- the crawl's id: <UTC start>-<random>, or the one passed in
    start_urls      VARCHAR[],                 -- the URLs the crawl started from
    started         TIMESTAMPTZ,               -- when the crawl started
    finished        TIMESTAMPTZ,               -- when the crawl finished
    finish_reason   VARCHAR,                   -- Scrapy's finish reason (finished, closespider_pagecount, shutdown ...)
    pages_fetched   INTEGER,                   -- HTTP responses received, revisits included
    articles        INTEGER,                   -- articles staged by the crawl
    rejects         INTEGER,                   -- reject rows the crawl wrote
    bytes           BIGINT,                    -- bytes of HTTP response bodies received
    parser_version  VARCHAR,                   -- version of spiders/parsers that extracted the articles
    reparse_of      VARCHAR,                   -- for a re-extraction: the crawl whose WARC files it read
    summary         JSON,                      -- the crawl summary: counters, settings and timing, as JSON
    loaded_at       TIMESTAMPTZ NOT NULL DEFAULT current_timestamp -- when the crawl was loaded into this database
);

-- One row per HTTP response received; (warc_file, warc_offset) is where its bytes are.
CREATE TABLE IF NOT EXISTS captures (
    crawl_id        VARCHAR NOT NULL,          -- the crawl that fetched it
    url             VARCHAR NOT NULL,          -- the URL requested
    status          INTEGER NOT NULL,          -- HTTP status code (304 for a not-modified revisit)
    fetched_at      TIMESTAMPTZ NOT NULL,      -- when the response arrived
    content_type    VARCHAR,                   -- the Content-Type header
    content_length  BIGINT,                    -- bytes of the body received (0 for a revisit)
    payload_sha256  VARCHAR NOT NULL,          -- sha256 (hex) of the body; a revisit's is its original's
    warc_file       VARCHAR NOT NULL,          -- WARC file holding the record, in the archive's warc/ folder
    warc_offset     BIGINT NOT NULL,           -- byte offset of the record in warc_file
    warc_length     BIGINT NOT NULL,           -- bytes of the (gzipped) record
    depth           INTEGER,                   -- link hops from a start URL
    referrer        VARCHAR,                   -- the page linking to it
    location        VARCHAR,                   -- the Location header of a redirect
    record_type     VARCHAR,                   -- response, or revisit (304 / identical payload)
    warc_record_id  VARCHAR,                   -- the record's WARC-Record-ID
    refers_to       VARCHAR,                   -- a revisit's record holding the payload
    etag            VARCHAR,                   -- the ETag header, sent back as If-None-Match next time
    last_modified   VARCHAR,                   -- the Last-Modified header, sent back as If-Modified-Since next time
    sitemap_lastmod VARCHAR,                   -- what the sitemap said when the URL was requested
    PRIMARY KEY (warc_file, warc_offset)
);
-- Version 2 added the incremental-crawl columns; these upgrade a version 1 database.
ALTER TABLE captures ADD COLUMN IF NOT EXISTS record_type VARCHAR;
ALTER TABLE captures ADD COLUMN IF NOT EXISTS warc_record_id VARCHAR;
ALTER TABLE captures ADD COLUMN IF NOT EXISTS refers_to VARCHAR;
ALTER TABLE captures ADD COLUMN IF NOT EXISTS etag VARCHAR;
ALTER TABLE captures ADD COLUMN IF NOT EXISTS last_modified VARCHAR;
ALTER TABLE captures ADD COLUMN IF NOT EXISTS sitemap_lastmod VARCHAR;

-- One row per canonical URL: the current version of each archived article.
CREATE TABLE IF NOT EXISTS articles (
    canonical_url   VARCHAR PRIMARY KEY,       -- the article's canonical URL (its identity)
    url             VARCHAR NOT NULL,          -- the URL it was fetched from
    site            VARCHAR NOT NULL,          -- registrable domain
    title           VARCHAR,                   -- headline, cleaned of the site name
    description     VARCHAR,                   -- standfirst or meta description
    authors         VARCHAR[],                 -- bylines, in page order
    category        VARCHAR,                   -- section of the site
    tags            VARCHAR[],                 -- keywords the page gives
    language        VARCHAR,                   -- language code the page declares or that was detected
    published       DATE,                      -- the day the page gives
    published_at    TIMESTAMPTZ,               -- with the time, when the page gives one
    modified        DATE,                      -- the day the page says it was updated
    modified_at     TIMESTAMPTZ,
    body            VARCHAR,                   -- the article text: sections joined by blank lines
    word_count      INTEGER,                   -- words in body
    content_sha256  VARCHAR,                   -- sha256 of the extracted content (a change makes a new version)
    payload_sha256  VARCHAR,                   -- sha256 of the HTTP body it was extracted from
    parser_version  VARCHAR,                   -- version of spiders/parsers that extracted it
    crawl_id        VARCHAR NOT NULL,          -- the crawl (or re-extraction) of this version
    first_seen      TIMESTAMPTZ NOT NULL,      -- when a crawl first found it
    last_seen       TIMESTAMPTZ NOT NULL,      -- last crawl that found it, changed or not
    version         INTEGER,                   -- its number in article_versions
    gone_at         TIMESTAMPTZ                -- when a crawl found it taken down (404/410)
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS version INTEGER;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS gone_at TIMESTAMPTZ;

-- Every version an article has had: a new row whenever its extracted content changes.
CREATE TABLE IF NOT EXISTS article_versions (
    canonical_url   VARCHAR NOT NULL,
    version         INTEGER NOT NULL,          -- 1, 2, ... per canonical URL
    crawl_id        VARCHAR NOT NULL,          -- the crawl (or re-extraction) that found this version
    captured_at     TIMESTAMPTZ NOT NULL,      -- when the page holding this version was fetched
    content_sha256  VARCHAR,                   -- sha256 of the extracted content
    payload_sha256  VARCHAR,                   -- sha256 of the HTTP body it was extracted from
    parser_version  VARCHAR,                   -- version of spiders/parsers that extracted it
    changed_fields  VARCHAR[],                 -- ['new'] for the first version
    title           VARCHAR,                   -- headline, cleaned of the site name
    description     VARCHAR,                   -- standfirst or meta description
    authors         VARCHAR[],                 -- bylines, in page order
    category        VARCHAR,                   -- section of the site
    tags            VARCHAR[],                 -- keywords the page gives
    language        VARCHAR,                   -- language code
    published       DATE,                      -- the day the page gives
    modified        DATE,                      -- the day the page says it was updated
    body            VARCHAR,                   -- the article text
    word_count      INTEGER,                   -- words in body
    PRIMARY KEY (canonical_url, version)
);

-- Sections of every version of each article, in reading order (current_sections: the current one).
CREATE TABLE IF NOT EXISTS sections (
    canonical_url   VARCHAR NOT NULL,          -- the article the section belongs to
    version         INTEGER,                   -- the article version these sections belong to
    ordinal         INTEGER NOT NULL,          -- position in reading order, from 0
    heading         VARCHAR,                   -- null for text before the first heading
    level           INTEGER,                   -- heading level (2 for <h2> ...), null with no heading
    text            VARCHAR                    -- the section's paragraphs, joined by blank lines
);

-- Every <a href> of every version of each article (current_links: the current one).
CREATE TABLE IF NOT EXISTS links (
    source_url          VARCHAR NOT NULL,      -- canonical URL of the article holding the link
    version             INTEGER,               -- the article version holding the link
    ordinal             INTEGER NOT NULL,      -- position among the article's links, in page order
    target_url          VARCHAR NOT NULL,      -- canonicalised
    target_article      VARCHAR,               -- canonical URL of the target when archived
    anchor_text         VARCHAR,               -- the link's visible text
    kind                VARCHAR NOT NULL,      -- body, related, navigation, footer, share, other
    related_title       VARCHAR,               -- for a related-list entry: the title it shows
    related_category    VARCHAR,               -- for a related-list entry: the category it shows
    related_summary     VARCHAR,               -- for a related-list entry: the summary it shows
    related_published   DATE                   -- for a related-list entry: the date it shows
);

-- Other URLs an archived article was reached by.
CREATE TABLE IF NOT EXISTS aliases (
    alias_url       VARCHAR PRIMARY KEY,       -- another URL the article was reached by
    canonical_url   VARCHAR NOT NULL,          -- the article it leads to
    reason          VARCHAR NOT NULL,          -- canonical-link or redirect
    crawl_id        VARCHAR NOT NULL           -- the crawl that found the alias
);

-- URLs that did not yield what they should, by stage (fetch, robots, parse, validate).
CREATE TABLE IF NOT EXISTS rejects (
    crawl_id        VARCHAR NOT NULL,          -- the crawl that tried the URL
    url             VARCHAR NOT NULL,          -- the URL that did not yield what it should
    stage           VARCHAR NOT NULL,          -- fetch, robots, parse or validate
    reason          VARCHAR NOT NULL,          -- why, in a few words (e.g. HTTP 404, forbidden by robots.txt)
    status          INTEGER,                   -- HTTP status, when there was a response
    referrer        VARCHAR                    -- the page linking to it
);

-- A version 1 database had no history: its current articles become their first versions.
INSERT INTO article_versions
SELECT canonical_url, 1, crawl_id, last_seen, content_sha256, payload_sha256, parser_version,
       ['new'], title, description, authors, category, tags, language, published, modified, body,
       word_count
FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.canonical_url = a.canonical_url);
UPDATE articles SET version = 1 WHERE version IS NULL;

-- Version 3 keeps sections and links of every version; these upgrade a version 2 database.
ALTER TABLE sections ADD COLUMN IF NOT EXISTS version INTEGER;
ALTER TABLE links ADD COLUMN IF NOT EXISTS version INTEGER;
UPDATE sections SET version = a.version FROM articles a
WHERE sections.version IS NULL AND a.canonical_url = sections.canonical_url;
UPDATE links SET version = a.version FROM articles a
WHERE links.version IS NULL AND a.canonical_url = links.source_url;

-- The current version's sections and links of every article.
CREATE OR REPLACE VIEW current_sections AS
SELECT s.* FROM sections s JOIN articles a ON a.canonical_url = s.canonical_url AND a.version = s.version;

CREATE OR REPLACE VIEW current_links AS
SELECT l.* FROM links l JOIN articles a ON a.canonical_url = l.source_url AND a.version = l.version;

-- The link graph (current versions) ----------------------------------------------------------

-- Article-to-article links (self-links left out), one row per link.
CREATE OR REPLACE VIEW edges AS
SELECT source_url, target_article AS target_url, kind, anchor_text, ordinal
FROM current_links
WHERE target_article IS NOT NULL AND target_article <> source_url;

-- In- and out-degree of every archived article, by link kind.
CREATE OR REPLACE VIEW link_counts AS
WITH outgoing AS (
    SELECT source_url AS canonical_url, kind, count(*) AS out_degree FROM edges GROUP BY ALL
), incoming AS (
    SELECT target_url AS canonical_url, kind, count(*) AS in_degree FROM edges GROUP BY ALL
), kinds AS (
    SELECT canonical_url, kind FROM outgoing UNION SELECT canonical_url, kind FROM incoming
)
SELECT k.canonical_url, k.kind,
       coalesce(o.out_degree, 0) AS out_degree, coalesce(i.in_degree, 0) AS in_degree
FROM kinds k
LEFT JOIN outgoing o USING (canonical_url, kind)
LEFT JOIN incoming i USING (canonical_url, kind);

-- Archived articles no other archived article links to.
CREATE OR REPLACE VIEW orphans AS
SELECT a.canonical_url, a.title, a.category, a.published
FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM edges e WHERE e.target_url = a.canonical_url);

-- Links from articles to URLs of the same site that are not archived articles and were never
-- fetched successfully, with the reason from rejects when the crawl tried.
CREATE OR REPLACE VIEW dangling AS
WITH latest_reject AS (
    SELECT url, arg_max(stage || ': ' || reason, crawl_id) AS reason
    FROM rejects GROUP BY url
), fetched AS (
    SELECT DISTINCT url FROM captures WHERE status < 400
)
SELECT l.source_url, l.target_url, l.kind, l.anchor_text,
       coalesce(r.reason, 'never fetched') AS reason
FROM current_links l
JOIN articles src ON src.canonical_url = l.source_url
LEFT JOIN latest_reject r ON r.url = l.target_url
WHERE l.target_article IS NULL
  AND l.kind IN ('body', 'related')
  AND l.target_url LIKE split_part(src.canonical_url, '/', 1) || '//' || split_part(src.canonical_url, '/', 3) || '/%'
  AND l.target_url NOT IN (SELECT url FROM fetched);

-- Full-text search (version 4; search_stemmers: 6; own postings, refreshed per article: 7) ------

-- The Snowball stemmer DuckDB's fts extension has for an article's language (BCP 47 tag, e.g.
-- en-GB). No declared language: English. A language without a stemmer (ja, zh, ...): 'none',
-- words are matched as written.
CREATE OR REPLACE MACRO search_stemmer(language) AS
CASE WHEN language IS NULL OR trim(language) = '' THEN 'english'
     ELSE coalesce(map_extract_value(MAP {
        'ar': 'arabic', 'eu': 'basque', 'ca': 'catalan', 'da': 'danish', 'nl': 'dutch',
        'en': 'english', 'fi': 'finnish', 'fr': 'french', 'de': 'german', 'el': 'greek',
        'hi': 'hindi', 'hu': 'hungarian', 'id': 'indonesian', 'ga': 'irish', 'it': 'italian',
        'lt': 'lithuanian', 'ne': 'nepali', 'no': 'norwegian', 'nb': 'norwegian',
        'nn': 'norwegian', 'pt': 'portuguese', 'ro': 'romanian', 'ru': 'russian', 'sr': 'serbian',
        'es': 'spanish', 'sv': 'swedish', 'ta': 'tamil', 'tr': 'turkish'},
        lower(split_part(replace(trim(language), '_', '-'), '-', 1))), 'none') END;

-- Words of a text as the fts extension's tokenizer splits them (lower case, accents stripped,
-- split at digits, punctuation and spaces), not yet stemmed. Runs of all of those become one
-- space first, so a plain split follows (splitting at a regex cost most of an index refresh).
CREATE OR REPLACE MACRO search_tokens(text) AS
list_filter(string_split(regexp_replace(lower(strip_accents(CAST(text AS VARCHAR))),
    '[\s0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''"`-]+', ' ', 'g'), ' '), w -> w <> '');

-- The terms of a text: its words stemmed with `stemmer` (fts's stem(): needs the extension
-- loaded, warehouse.connect.load_extension). A query goes through this macro; articles through
-- search_tokens, then stem() once per distinct word (warehouse/search.sql): the same terms.
CREATE OR REPLACE MACRO search_words(text, stemmer) AS
list_transform(search_tokens(text), w -> stem(w, stemmer));

-- Version 6 kept stemmed text and the fts extension's index over it, rebuilt whole by every
-- load; version 7 keeps postings of its own (below), refreshed only for the articles that
-- changed. Migrating from 6 drops the old index; warehouse.migrate then indexes every article.
DROP MACRO IF EXISTS search_terms;
DROP SCHEMA IF EXISTS fts_main_search_documents CASCADE;
DROP TABLE IF EXISTS search_documents;
DROP TABLE IF EXISTS search_docs;

-- Each indexed article (current, not taken down) by an integer docid, with its BM25 length and
-- what searches filter on. Refreshed by each load (warehouse/search.sql).
CREATE TABLE IF NOT EXISTS search_articles (
    docid           INTEGER NOT NULL,          -- the article's number in search_postings (unique)
    canonical_url   VARCHAR NOT NULL,          -- articles.canonical_url (unique)
    stemmer         VARCHAR NOT NULL,          -- search_stemmer(articles.language)
    content_hash    UBIGINT NOT NULL,          -- hash of what the index holds of the article, when indexed
    len             INTEGER NOT NULL,          -- words in title, description and body (BM25's length)
    site            VARCHAR,
    category        VARCHAR,
    published       DATE
);

-- Every term of the indexed articles: a word's stem in one stemmer, and how many articles hold it.
CREATE TABLE IF NOT EXISTS search_vocabulary (
    termid          INTEGER NOT NULL,          -- the term's number in search_postings (unique)
    stemmer         VARCHAR NOT NULL,          -- the stemmer of the articles holding it
    term            VARCHAR NOT NULL,          -- the stem (search_words)
    df              INTEGER NOT NULL           -- indexed articles holding the term (BM25's document frequency)
);

-- The index: one row per term and article holding it (title, description and body together, as
-- BM25 counts them). Kept in term order (re-sorted when a tenth of it was appended since the last
-- sort), so a query's few terms read a few row groups.
CREATE TABLE IF NOT EXISTS search_postings (
    termid          INTEGER NOT NULL,          -- search_vocabulary.termid
    docid           INTEGER NOT NULL,          -- search_articles.docid
    tf              INTEGER NOT NULL,          -- times the term occurs in the article
    len             INTEGER NOT NULL           -- search_articles.len, here so a query scores without a join
);

-- Postings appended since search_postings was last sorted: one row.
CREATE TABLE IF NOT EXISTS search_index (
    appended        BIGINT NOT NULL            -- postings inserted since the last sort
);
INSERT INTO search_index SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM search_index);

-- The stemmers the indexed articles use: a query is stemmed once by each.
CREATE TABLE IF NOT EXISTS search_stemmers (
    stemmer         VARCHAR PRIMARY KEY
);

-- Link-graph analytics (version 5) -----------------------------------------------------------
-- Written after each load by the graph task (warehouse/graph.py, with igraph: chosen by measured
-- speed in bench/graph.py). The graph: archived articles as nodes, the editorial links between
-- them (edges of kind body or related; navigation, footer and share are site furniture) as
-- directed edges weighted by their number.

-- The analytics' links: editorial ones (in the body or a related list), the one place this is decided.
CREATE OR REPLACE VIEW editorial_edges AS
SELECT source_url, target_url, kind FROM edges WHERE kind IN ('body', 'related');

-- Who cites whom (editorial links, each pair once) and when the citing article was published:
-- co-citation and bibliographic coupling (named queries) pair up its rows.
CREATE OR REPLACE VIEW citations AS
SELECT DISTINCT e.source_url, e.target_url, src.published AS source_published
FROM editorial_edges e JOIN articles src ON src.canonical_url = e.source_url;

-- The graph's nodes: every archived article, numbered 0, 1, ... in canonical URL order.
CREATE OR REPLACE VIEW article_nodes AS
SELECT canonical_url, row_number() OVER (ORDER BY canonical_url) - 1 AS node FROM articles;

-- Per article: centrality, degree, community and reciprocity.
CREATE TABLE IF NOT EXISTS article_metrics (
    canonical_url   VARCHAR PRIMARY KEY,
    pagerank        DOUBLE,                    -- damping 0.85, weighted; sums to 1 over the archive
    hub             DOUBLE,                    -- HITS hub score (scaled so the largest is 1)
    authority       DOUBLE,                    -- HITS authority score (scaled so the largest is 1)
    in_degree       INTEGER,                   -- editorial links received (body + related)
    out_degree      INTEGER,                   -- editorial links given
    in_by_kind      MAP(VARCHAR, INTEGER),     -- links received from archived articles, by kind
    out_by_kind     MAP(VARCHAR, INTEGER),     -- links to archived articles, by kind
    reciprocated    INTEGER,                   -- articles it links to that link back (editorial)
    community       INTEGER,                   -- Leiden (modularity) community, 1 = the largest
    computed_at     TIMESTAMPTZ NOT NULL
);

-- One row per analytics run: what was computed, with what, how long it took.
CREATE TABLE IF NOT EXISTS graph_runs (
    computed_at     TIMESTAMPTZ NOT NULL,
    crawl_id        VARCHAR,                   -- the load that triggered it
    library         VARCHAR NOT NULL,          -- e.g. igraph 1.0.0
    nodes           INTEGER NOT NULL,
    edges           INTEGER NOT NULL,          -- distinct (source, target) pairs
    links           INTEGER NOT NULL,          -- editorial links (the edges' total weight)
    communities     INTEGER NOT NULL,          -- with two or more articles
    modularity      DOUBLE,
    seconds         DOUBLE NOT NULL
);

-- The registrable domain (site) of every host that links point to, external ones included;
-- written by the graph task with the crawler's own rule (spiders/scope.py).
CREATE TABLE IF NOT EXISTS link_hosts (
    host            VARCHAR PRIMARY KEY,       -- lower case, with the port when the URL has one
    site            VARCHAR NOT NULL
);

-- Every link of the current versions with the sites at both ends and the source's publication
-- day: the site-to-site citation graph and the time windows of the named queries build on it.
CREATE OR REPLACE VIEW site_link_rows AS
SELECT src.site AS source_site, coalesce(h.site, lower(split_part(l.target_url, '/', 3))) AS target_site,
       l.kind, l.source_url, l.target_url, l.target_article, src.published AS source_published
FROM current_links l
JOIN articles src ON src.canonical_url = l.source_url
LEFT JOIN link_hosts h ON h.host = lower(split_part(l.target_url, '/', 3))
WHERE l.target_url LIKE 'http%';

-- The site-to-site citation graph: links from each site to each site (itself included), by kind.
CREATE OR REPLACE VIEW site_links AS
SELECT source_site, target_site, kind, count(*) AS links,
       count(DISTINCT source_url) AS source_articles, count(DISTINCT target_url) AS target_urls
FROM site_link_rows GROUP BY ALL;
