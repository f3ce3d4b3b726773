-- What an archive holds, in one row: the demo's and the CLI's summary line.
SELECT (SELECT count(*) FROM captures) AS captures,
       (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM current_sections) AS sections,
       (SELECT count(*) FROM current_links) AS links,
       (SELECT count(*) FROM edges) AS edges,
       (SELECT count(*) FROM rejects) AS rejects,
       (SELECT count(*) FROM aliases) AS aliases
