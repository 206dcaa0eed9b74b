-- The pipeline version that rejected an input in a transform stage (decode, html, normalize, extract): a re-run
-- over the same bytes with the same version skips the transform and records the stored reason again. NULL for
-- rows from before this migration and for stages whose outcome may change on a retry (read, load, internal).
ALTER TABLE rejects ADD COLUMN pipeline_version VARCHAR;
