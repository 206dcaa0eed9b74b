-- Who holds which title, at which organization, and in how many articles and stories it was seen (a syndicated
-- story counts once in n_stories).
CREATE OR REPLACE VIEW people_titles AS
WITH role_rows AS (
    SELECT r.person, r.title, r.organization, r.article_id, a.published_at, coalesce(a.story_id, a.article_id) AS story_id
    FROM roles AS r
    JOIN articles AS a USING (article_id)
)
SELECT
    person,
    title,
    organization,
    count(DISTINCT article_id) AS n_articles,
    min(published_at) AS first_seen_at,
    max(published_at) AS last_seen_at,
    count(DISTINCT story_id) AS n_stories
FROM role_rows
GROUP BY person, title, organization;
