-- One row per story (near-duplicate articles share a story_id): when it was first seen, where, in how many copies.
CREATE OR REPLACE VIEW stories AS
WITH story_articles AS (
    SELECT
        story_id,
        title,
        published_at,
        ingested_at,
        coalesce(regexp_extract(url, '^https?://([^/]+)', 1), source_uri) AS source
    FROM articles
    WHERE story_id IS NOT NULL
)
SELECT
    story_id,
    arg_min(title, coalesce(published_at, ingested_at)) AS title,
    min(published_at) AS first_published_at,
    min(ingested_at) AS first_ingested_at,
    list(DISTINCT source ORDER BY source) AS sources,
    count(*) AS n_articles
FROM story_articles
GROUP BY story_id;
