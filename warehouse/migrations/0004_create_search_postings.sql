-- Full-text search over our own postings (DuckDB's fts extension cannot be installed offline and drops Chinese).
-- Terms are tasks/transforms/search_tokens.py's: character bigrams of Han runs, Latin/digit words, lower-cased.
-- Rows of one article are replaced together with its facts, in the batch's load transaction.
CREATE TABLE postings (
    term        VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    tf          INTEGER NOT NULL              -- occurrences of the term in the article's body
);

-- One row per indexed article: its length in terms (BM25's document length).
CREATE TABLE search_documents (
    article_id  VARCHAR PRIMARY KEY,
    n_terms     INTEGER NOT NULL
);
