-- Stories: near-duplicate articles (syndicated copies, rewritten leads) share a story_id, the article_id of the
-- story's first stored article; a singleton is its own story.
ALTER TABLE articles ADD COLUMN story_id VARCHAR;

-- MinHash signature of each article's normalized body (tasks/transforms/stories.py), kept so that a later run's copy
-- joins the existing story.
CREATE TABLE story_signatures (
    article_id  VARCHAR PRIMARY KEY,
    signature   UBIGINT[] NOT NULL
);

-- LSH band keys: articles sharing a key are candidate copies.
CREATE TABLE story_bands (
    band_key    BIGINT NOT NULL,
    article_id  VARCHAR NOT NULL
);
