-- Articles mentioning each entity (search by name or kind).
CREATE OR REPLACE VIEW entity_mentions AS
SELECT
    e.kind,
    e.name,
    e.level,
    m.surface,
    m.article_id,
    a.title,
    a.published_at,
    a.source_uri,
    m.start_pos,
    m.end_pos,
    coalesce(a.story_id, a.article_id) AS story_id
FROM mentions AS m
JOIN entities AS e USING (entity_id)
JOIN articles AS a USING (article_id);
