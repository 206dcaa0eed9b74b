-- Search index with integer ids, so a query reads a few DuckDB row groups instead of every posting: 0004's postings
-- keyed by term strings made each query scan all of them (~10 s on 100,000 articles, bench/bench_search.py).
-- Terms are still tasks/transforms/search_tokens.py's; warehouse/search_index.py maps them to ids at load time.
DROP TABLE postings;
DROP TABLE search_documents;

-- Every term seen: its id (search_term_id, a hash: a batch's load needs no lookup in this table to write its postings)
-- and its document frequency (BM25's df), kept current by each batch's load.
CREATE TABLE search_vocabulary (
    term_id     BIGINT PRIMARY KEY,
    term        VARCHAR NOT NULL,
    df          INTEGER NOT NULL              -- indexed articles holding the term
);

-- One row per indexed article: its integer id in the postings and its length in terms (BM25's document length).
CREATE TABLE search_documents (
    doc_id      INTEGER PRIMARY KEY,
    article_id  VARCHAR NOT NULL UNIQUE,
    n_terms     INTEGER NOT NULL
);

-- Postings in sorted runs of (term_id, doc_id): DuckDB's per-row-group min/max of term_id skip every row group
-- without the query's terms. A batch's postings go to search_postings_recent first; search_index.py appends that
-- table to this one as a sorted run once it is big enough, and re-sorts this one when it holds too many runs.
CREATE TABLE search_postings (
    term_id     BIGINT NOT NULL,
    doc_id      INTEGER NOT NULL,
    tf          INTEGER NOT NULL              -- occurrences of the term in the article's title and body
);

CREATE TABLE search_postings_recent (
    term_id     BIGINT NOT NULL,
    doc_id      INTEGER NOT NULL,
    tf          INTEGER NOT NULL
);

-- The sorted runs search_postings holds (one after a full sort).
CREATE TABLE search_runs (
    run_no      INTEGER PRIMARY KEY,
    n_rows      BIGINT NOT NULL
);

-- The term rule of tasks/transforms/search_tokens.py: character bigrams of Han runs (a lone character as itself),
-- Latin/digit words, lower-cased. warehouse/views/search_macros.sql re-creates it on every run; it is created here
-- too because the load indexes with it (warehouse/search_index.py) and this rebuild needs it before any view exists.
CREATE OR REPLACE MACRO search_terms(q) AS
    flatten([
        CASE
            WHEN length(run) = 1 OR regexp_full_match(run, '[a-z0-9]+') THEN [run]
            ELSE [substr(run, i, 2) FOR i IN range(1, length(run))]
        END
        FOR run IN regexp_extract_all(lower(q), '[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}]+|[a-z0-9]+')
    ]);

-- A term's id: the first 60 bits of its MD5 (stable across DuckDB versions, unlike hash()). Two of a million terms
-- share an id with probability ~1e-6; they would then share postings.
CREATE OR REPLACE MACRO search_term_id(term) AS ('0x' || left(md5(term), 15))::BIGINT;

-- Rebuild from the stored articles (a title goes before its body), so a warehouse indexed by 0004 upgrades.
CREATE TEMP TABLE rebuilt_terms AS
SELECT article_id, term, count(*) AS tf
FROM (SELECT article_id, unnest(search_terms(concat_ws(chr(10), title, body))) AS term FROM articles)
GROUP BY ALL;

INSERT INTO search_documents (doc_id, article_id, n_terms)
SELECT row_number() OVER (ORDER BY a.article_id), a.article_id, coalesce(sum(t.tf), 0)
FROM articles AS a LEFT JOIN rebuilt_terms AS t USING (article_id)
GROUP BY a.article_id;

INSERT INTO search_vocabulary (term_id, term, df)
SELECT search_term_id(term), any_value(term), count(*) FROM rebuilt_terms GROUP BY search_term_id(term);

INSERT INTO search_postings (term_id, doc_id, tf)
SELECT search_term_id(t.term) AS term_id, d.doc_id, t.tf
FROM rebuilt_terms AS t
JOIN search_documents AS d USING (article_id)
ORDER BY term_id, d.doc_id;

INSERT INTO search_runs (run_no, n_rows) SELECT 1, count(*) FROM search_postings HAVING count(*) > 0;

DROP TABLE rebuilt_terms;
