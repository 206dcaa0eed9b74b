-- No vocabulary table: a term's id is its hash (search_term_id), so neither a load nor a query needs one, and its
-- PRIMARY KEY (0007) made every load's memory grow with the warehouse's terms. DuckDB holds a key index whole in
-- memory once a load's `ON CONFLICT` reads it: with 5 M random-bigram terms one batch's load took the run's process
-- to 1.15 GB, each batch more than the last, and under a DuckDB memory_limit of 256 MB the upsert failed at 4 M
-- terms. Without the key, finding a batch's new terms scans every stored one, and DuckDB keeps what it scanned.
-- A term's df (BM25) is counted at query time from the postings the query reads anyway, and the views
-- `search_vocabulary` and `postings` name the terms by tokenizing the stored articles again (for reading, not
-- speed): warehouse/views/search_macros.sql.
DROP TABLE search_vocabulary;
