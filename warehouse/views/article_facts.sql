-- One row per article with how many facts of each kind it holds.
CREATE OR REPLACE VIEW article_facts AS
WITH
    n_mentions AS (SELECT article_id, count(*) AS n FROM mentions GROUP BY article_id),
    n_roles AS (SELECT article_id, count(*) AS n FROM roles GROUP BY article_id),
    n_metrics AS (SELECT article_id, count(*) AS n FROM metrics GROUP BY article_id),
    n_quotes AS (SELECT article_id, count(*) AS n FROM quotes GROUP BY article_id),
    n_events AS (SELECT article_id, count(*) AS n FROM events GROUP BY article_id)
SELECT
    a.article_id,
    a.title,
    a.published_at,
    a.published_date,
    a.source_uri,
    a.quality,
    coalesce(m.n, 0) AS n_mentions,
    coalesce(r.n, 0) AS n_roles,
    coalesce(x.n, 0) AS n_metrics,
    coalesce(q.n, 0) AS n_quotes,
    coalesce(e.n, 0) AS n_events
FROM articles AS a
LEFT JOIN n_mentions AS m USING (article_id)
LEFT JOIN n_roles AS r USING (article_id)
LEFT JOIN n_metrics AS x USING (article_id)
LEFT JOIN n_quotes AS q USING (article_id)
LEFT JOIN n_events AS e USING (article_id);
