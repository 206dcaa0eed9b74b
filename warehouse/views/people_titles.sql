-- Who holds which title, at which organization, and in how many articles and stories it was seen (a syndicated
-- story counts once in n_stories). People and bodies are grouped by entity id, named from `entities`.
CREATE OR REPLACE VIEW people_titles AS
WITH role_rows AS (
    SELECT
        r.person_entity_id,
        r.organization_entity_id,
        coalesce(p.name, r.person) AS person,
        r.title,
        coalesce(o.name, r.organization) AS organization,
        r.article_id,
        a.published_at,
        coalesce(a.story_id, a.article_id) AS story_id
    FROM roles AS r
    JOIN articles AS a USING (article_id)
    LEFT JOIN entities AS p ON p.entity_id = r.person_entity_id
    LEFT JOIN entities AS o ON o.entity_id = r.organization_entity_id
)
SELECT
    person,
    title,
    organization,
    count(DISTINCT article_id) AS n_articles,
    min(published_at) AS first_seen_at,
    max(published_at) AS last_seen_at,
    count(DISTINCT story_id) AS n_stories,
    person_entity_id,
    organization_entity_id
FROM role_rows
GROUP BY person_entity_id, organization_entity_id, person, title, organization;
