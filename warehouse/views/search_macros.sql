-- Full-text search from SQL:  SELECT * FROM search_articles('知识产权 "宣传周"') LIMIT 10;
-- Title and body are indexed. Every term of the query must occur (AND; see `search_candidates` for the one
-- exception), a quoted phrase must occur contiguously; rows are ranked by BM25 (k1 = 1.2, b = 0.75). The query is
-- not converted to Simplified here: `newsetl search` does that first.
CREATE OR REPLACE MACRO search_terms(q) AS
    flatten([
        CASE
            WHEN length(run) = 1 OR regexp_full_match(run, '[a-z0-9]+') THEN [run]
            ELSE [substr(run, i, 2) FOR i IN range(1, length(run))]
        END
        FOR run IN regexp_extract_all(lower(q), '[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}]+|[a-z0-9]+')
    ]);

-- A term's id in the index (0007 says why a hash).
CREATE OR REPLACE MACRO search_term_id(term) AS ('0x' || left(md5(term), 15))::BIGINT;

-- The quoted phrases of a query, as search_articles checks them.
CREATE OR REPLACE MACRO search_phrases(q) AS
    [trim(p) FOR p IN regexp_extract_all(q, '"([^"]+)"', 1) IF trim(p) <> ''];

-- Articles holding the query's terms with their BM25 score, read from the postings alone (no article bodies);
-- phrases are not checked here. A Chinese query typed without spaces (新冠疫情) has bigrams across its word boundary
-- (冠疫) that an article saying 新冠肺炎疫情 lacks: when no article holds every term, articles missing up to a third
-- of them count.
CREATE OR REPLACE MACRO search_candidates(q) AS TABLE
WITH
    query AS (SELECT list_distinct(search_terms(q)) AS terms),
    collection AS (SELECT count(*)::DOUBLE AS n_docs, avg(n_terms)::DOUBLE AS avg_terms FROM search_documents),
    query_ids AS (SELECT DISTINCT search_term_id(unnest(terms)) AS term_id FROM query),
    matches AS (
        -- Two joins, not one over a union: each pushes the query's term ids into its table's scan, where DuckDB
        -- skips the row groups whose min/max of term_id leaves them out.
        SELECT p.term_id, p.doc_id, p.tf FROM search_postings AS p JOIN query_ids AS t USING (term_id)
        UNION ALL
        SELECT p.term_id, p.doc_id, p.tf FROM search_postings_recent AS p JOIN query_ids AS t USING (term_id)
    ),
    query_terms AS (
        -- BM25's df is the articles holding the term: its postings, which the query reads anyway (0009).
        SELECT m.term_id, ln(1 + (any_value(c.n_docs) - count(*) + 0.5) / (count(*) + 0.5)) AS idf
        FROM matches AS m CROSS JOIN collection AS c
        GROUP BY m.term_id
    ),
    scored AS (
        -- Grouped by the integer doc_id; article_id is joined to the kept documents only.
        SELECT
            m.doc_id,
            count(*) AS n_matched,
            sum(t.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * d.n_terms / c.avg_terms))) AS score
        FROM matches AS m
        JOIN query_terms AS t USING (term_id)
        JOIN search_documents AS d USING (doc_id)
        CROSS JOIN collection AS c
        GROUP BY m.doc_id
    ),
    kept AS (
        SELECT s.*, max(s.n_matched) OVER () = len(q.terms) AS has_exact, len(q.terms) AS n_terms
        FROM scored AS s
        CROSS JOIN query AS q
        WHERE s.n_matched >= len(q.terms) - len(q.terms) // 3
    )
SELECT d.article_id, k.score
FROM kept AS k
JOIN search_documents AS d USING (doc_id)
WHERE k.n_matched = k.n_terms OR NOT k.has_exact;

CREATE OR REPLACE MACRO search_articles(q) AS TABLE
SELECT a.article_id, a.title, a.published_at, c.score, a.story_id
FROM search_candidates(q) AS c
JOIN articles AS a USING (article_id)
WHERE len([p FOR p IN search_phrases(q) IF NOT contains(lower(concat_ws(chr(10), a.title, a.body)), lower(p))]) = 0
ORDER BY c.score DESC, a.article_id;

-- The index by name, as 0004 stored it: one row per term of an article's title and body. Stored postings hold term
-- ids only (0009), so this tokenizes the indexed articles again with the macro the index is kept equal to: for
-- reading, not speed.
CREATE OR REPLACE VIEW postings AS
SELECT term, article_id, count(*)::INTEGER AS tf
FROM (
    SELECT a.article_id, unnest(search_terms(concat_ws(chr(10), a.title, a.body))) AS term
    FROM articles AS a SEMI JOIN search_documents AS d USING (article_id)
)
GROUP BY term, article_id;

-- Every term the index holds: its id in the postings and its df (the articles holding it); read like `postings`.
CREATE OR REPLACE VIEW search_vocabulary AS
SELECT search_term_id(term) AS term_id, term, count(*)::INTEGER AS df FROM postings GROUP BY term;
