-- The pipeline version behind an input's outcome when it was not stored as an article: a re-run over the same
-- bytes with the same version skips its transform and records the stored outcome again.
-- rejects: set for transform stages (decode, html, normalize), whose verdict follows from the bytes and the
-- version; NULL for rows from before this migration and for stages whose outcome may change on a retry (read,
-- load, internal).
ALTER TABLE rejects ADD COLUMN pipeline_version VARCHAR;
-- duplicates: a re-run skips the input while the article it duplicates is still held by stored_source_uri.
ALTER TABLE duplicates ADD COLUMN pipeline_version VARCHAR;
