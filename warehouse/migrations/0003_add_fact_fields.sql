-- Fields the extractors fill since models.py grew them, article quality and decoding, the local publication date,
-- and the inputs that duplicate a stored article. Added columns are NULL (or their default) on rows loaded before.

-- metrics: `value`/`unit` are in base units (元); unit_written is the unit as written (亿元).
ALTER TABLE metrics ADD COLUMN unit_written VARCHAR;
ALTER TABLE metrics ADD COLUMN approx BOOLEAN;            -- 多 / 余 / 近 / 约 / 左右
ALTER TABLE metrics ADD COLUMN period_start DATE;         -- the period resolved against the article's date
ALTER TABLE metrics ADD COLUMN period_end DATE;           -- inclusive

-- entity_id (entities.entity_id) of the names, from their natural key; NULL when there is no organization.
ALTER TABLE roles ADD COLUMN person_entity_id VARCHAR;
ALTER TABLE roles ADD COLUMN organization_entity_id VARCHAR;
ALTER TABLE quotes ADD COLUMN speaker_entity_id VARCHAR;

ALTER TABLE articles ADD COLUMN photographer VARCHAR;     -- 摄 / 摄影 credit of the byline
ALTER TABLE articles ADD COLUMN editor VARCHAR;           -- 责任编辑 / 编辑 / 责编: never the reporter
ALTER TABLE articles ADD COLUMN quality VARCHAR NOT NULL DEFAULT 'ok';  -- ok | keyword_list | ...: non-prose gets no facts
ALTER TABLE articles ADD COLUMN quality_reason VARCHAR;
ALTER TABLE articles ADD COLUMN decode_errors INTEGER DEFAULT 0;         -- byte sequences replaced while decoding
-- published_at is UTC; published_date is the calendar date in the source's time zone (config: timezone), as the
-- page prints it. Rows loaded before this migration keep NULL until their input is ingested again.
ALTER TABLE articles ADD COLUMN published_date DATE;

ALTER TABLE runs ADD COLUMN n_duplicates INTEGER NOT NULL DEFAULT 0;

-- An input whose article (same canonical URL, so same article_id) is already stored from another input. The
-- input that stored the article first keeps it; every other one gets a row here, updated in place when seen again.
CREATE TABLE duplicates (
    source_uri         VARCHAR NOT NULL,     -- the input that was not stored
    article_id         VARCHAR NOT NULL,     -- the article it duplicates (articles.article_id)
    stored_source_uri  VARCHAR NOT NULL,     -- the input that holds the article
    content_sha256     VARCHAR NOT NULL,     -- of this input's bytes
    run_id             VARCHAR NOT NULL,
    seen_at            TIMESTAMP NOT NULL,   -- UTC
    PRIMARY KEY (source_uri, article_id)
);
