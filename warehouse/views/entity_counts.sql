-- How often each person, organization and place is mentioned: in how many articles, and in how many stories (the
-- copies of one syndicated story count once).
CREATE OR REPLACE VIEW entity_counts AS
WITH entity_articles AS (
    SELECT DISTINCT m.entity_id, m.article_id, coalesce(a.story_id, a.article_id) AS story_id, a.published_at
    FROM mentions AS m
    JOIN articles AS a USING (article_id)
)
SELECT
    e.entity_id,
    e.kind,
    e.name,
    e.level,
    count(*) AS n_articles,
    count(DISTINCT x.story_id) AS n_stories,
    min(x.published_at) AS first_seen_at,
    max(x.published_at) AS last_seen_at
FROM entity_articles AS x
JOIN entities AS e USING (entity_id)
GROUP BY e.entity_id, e.kind, e.name, e.level;
