-- Full-text search from SQL:  SELECT * FROM search_articles('知识产权 "宣传周"') LIMIT 10;
-- Every term of the query must occur (AND); a quoted phrase must occur contiguously in the body; rows are ranked
-- by BM25 (k1 = 1.2, b = 0.75). The query is not converted to Simplified here: `newsetl search` does that first.
CREATE OR REPLACE MACRO search_terms(q) AS
    flatten([
        CASE
            WHEN length(run) = 1 OR regexp_full_match(run, '[a-z0-9]+') THEN [run]
            ELSE [substr(run, i, 2) FOR i IN range(1, length(run))]
        END
        FOR run IN regexp_extract_all(lower(q), '[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}]+|[a-z0-9]+')
    ]);

CREATE OR REPLACE MACRO search_articles(q) AS TABLE
WITH
    query AS (
        SELECT
            list_distinct(search_terms(q)) AS terms,
            [trim(p) FOR p IN regexp_extract_all(q, '"([^"]+)"', 1) IF trim(p) <> ''] AS phrases
    ),
    query_terms AS (SELECT unnest(terms) AS term FROM query),
    collection AS (SELECT count(*) AS n_docs, avg(n_terms) AS avg_terms FROM search_documents),
    matches AS (
        SELECT p.term, p.article_id, p.tf
        FROM postings AS p
        WHERE p.term IN (SELECT term FROM query_terms)
    ),
    term_weights AS (
        SELECT term, ln(1 + (c.n_docs - count(*) + 0.5) / (count(*) + 0.5)) AS idf
        FROM matches, collection AS c
        GROUP BY term, c.n_docs
    ),
    scored AS (
        SELECT
            m.article_id,
            count(*) AS n_matched,
            sum(w.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * d.n_terms / c.avg_terms))) AS score
        FROM matches AS m
        JOIN term_weights AS w USING (term)
        JOIN search_documents AS d USING (article_id)
        CROSS JOIN collection AS c
        GROUP BY m.article_id
    )
SELECT a.article_id, a.title, a.published_at, s.score, a.story_id
FROM scored AS s
JOIN articles AS a USING (article_id)
CROSS JOIN query AS q
WHERE s.n_matched = len(q.terms)
  AND len([p FOR p IN q.phrases IF NOT contains(lower(a.body), lower(p))]) = 0
ORDER BY s.score DESC, a.article_id;
