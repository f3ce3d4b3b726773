-- Re-sorting the full-text index's postings into term order (warehouse.search.RESORT_SHARE says
-- when), in place, so that the table keeps its declaration in schema.sql.
CREATE OR REPLACE TEMP TABLE search_sorted AS SELECT * FROM search_postings ORDER BY termid, docid;
DELETE FROM search_postings;
INSERT INTO search_postings SELECT * FROM search_sorted;
UPDATE search_index SET appended = 0;
DROP TABLE search_sorted;
