-- The search macro before 0007 (commit f23962b), over copies of its tables: bench_search.py --baseline times it on
-- the same scaled warehouse as today's search. Not part of the pipeline.
CREATE OR REPLACE MACRO search_articles_0004(q) AS TABLE
WITH
    query AS (
        SELECT
            list_distinct(search_terms(q)) AS terms,
            [trim(p) FOR p IN regexp_extract_all(q, '"([^"]+)"', 1) IF trim(p) <> ''] AS phrases
    ),
    query_terms AS (SELECT unnest(terms) AS term FROM query),
    collection AS (SELECT count(*) AS n_docs, avg(n_terms) AS avg_terms FROM search_documents_0004),
    matches AS (
        SELECT p.term, p.article_id, p.tf
        FROM postings_0004 AS p
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
        JOIN search_documents_0004 AS d USING (article_id)
        CROSS JOIN collection AS c
        GROUP BY m.article_id
    ),
    matched AS (
        -- A Chinese query typed without spaces (新冠疫情) has bigrams across its word boundary (冠疫) that an article
        -- saying 新冠肺炎疫情 lacks: when no article holds every term, articles missing up to a third of them count.
        SELECT s.*, max(s.n_matched) OVER () = len(q.terms) AS has_exact
        FROM scored AS s
        JOIN articles AS a USING (article_id)
        CROSS JOIN query AS q
        WHERE s.n_matched >= len(q.terms) - len(q.terms) // 3
          AND len([p FOR p IN q.phrases IF NOT contains(lower(concat_ws(chr(10), a.title, a.body)), lower(p))]) = 0
    )
SELECT a.article_id, a.title, a.published_at, m.score, a.story_id
FROM matched AS m
JOIN articles AS a USING (article_id)
CROSS JOIN query AS q
WHERE m.n_matched = len(q.terms) OR NOT m.has_exact
ORDER BY m.score DESC, a.article_id;
