-- Every place entity with its codes and the chain above it (county -> city -> province): `city` and `province`
-- name the enclosing ones (the place itself at its own level; NULL above it or without a code).
CREATE OR REPLACE VIEW places AS
SELECT
    e.entity_id,
    e.name,
    e.level,
    e.adcode,
    e.country_code,
    e.parent_entity_id,
    p.name AS parent,
    CASE
        WHEN e.level = 'city' THEN e.name
        WHEN p.level = 'city' THEN p.name
    END AS city,
    CASE
        WHEN e.level = 'province' THEN e.name
        WHEN p.level = 'province' THEN p.name
        WHEN g.level = 'province' THEN g.name
    END AS province
FROM entities AS e
LEFT JOIN entities AS p ON p.entity_id = e.parent_entity_id
LEFT JOIN entities AS g ON g.entity_id = p.parent_entity_id
WHERE e.kind = 'location';
