-- The warehouse contract: analysts query these tables directly. Columns may be added, never renamed.

CREATE TABLE runs (
    run_id        VARCHAR PRIMARY KEY,
    flow_run_id   VARCHAR,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    status        VARCHAR NOT NULL,          -- running | completed | failed
    n_inputs      INTEGER NOT NULL DEFAULT 0,
    n_loaded      INTEGER NOT NULL DEFAULT 0,
    n_unchanged   INTEGER NOT NULL DEFAULT 0,
    n_rejected    INTEGER NOT NULL DEFAULT 0,
    error         VARCHAR
);

CREATE TABLE articles (
    article_id          VARCHAR PRIMARY KEY,  -- sha256 of the natural key (url, else source_uri), 16 hex chars
    source_uri          VARCHAR NOT NULL,
    url                 VARCHAR,
    title               VARCHAR,
    published_at        TIMESTAMP,
    agency              VARCHAR,
    bureau              VARCHAR,
    reporter            VARCHAR,
    language            VARCHAR NOT NULL,
    script_original     VARCHAR NOT NULL,     -- hant | hans | mixed | other
    encoding_detected   VARCHAR NOT NULL,
    encoding_confidence DOUBLE,
    body_raw            VARCHAR NOT NULL,
    body                VARCHAR NOT NULL,
    content_sha256      VARCHAR NOT NULL,     -- of the input bytes
    pipeline_version    VARCHAR NOT NULL,
    run_id              VARCHAR NOT NULL,
    ingested_at         TIMESTAMP NOT NULL
);

CREATE TABLE entities (
    entity_id  VARCHAR PRIMARY KEY,           -- sha256(kind | name), 16 hex chars
    kind       VARCHAR NOT NULL,              -- person | organization | location
    name       VARCHAR NOT NULL,
    level      VARCHAR,                       -- locations: country | province | city | county
    UNIQUE (kind, name)
);

-- Fact tables: rows of one article are replaced together when its content changes.
-- start_pos/end_pos index `articles.body` (end exclusive); raw_* index `articles.body_raw`.
CREATE TABLE mentions (
    article_id    VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    surface       VARCHAR NOT NULL,
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

CREATE TABLE roles (
    article_id    VARCHAR NOT NULL,
    person        VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    organization  VARCHAR,
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

CREATE TABLE metrics (
    article_id    VARCHAR NOT NULL,
    subject       VARCHAR,
    measure       VARCHAR,
    value         DOUBLE NOT NULL,
    unit          VARCHAR,
    period        VARCHAR,
    kind          VARCHAR,                    -- count | share | growth | amount
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

CREATE TABLE quotes (
    article_id    VARCHAR NOT NULL,
    speaker       VARCHAR NOT NULL,
    text          VARCHAR NOT NULL,
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

CREATE TABLE events (
    article_id    VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    event_date    DATE,
    location      VARCHAR,
    organizers    VARCHAR[],
    guided_by     VARCHAR[],
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

CREATE TABLE dates (
    article_id    VARCHAR NOT NULL,
    surface       VARCHAR NOT NULL,
    iso           VARCHAR NOT NULL,           -- YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Qn / YYYY-Hn for periods
    start_pos     INTEGER NOT NULL,
    end_pos       INTEGER NOT NULL,
    raw_start_pos INTEGER,
    raw_end_pos   INTEGER
);

-- One row per distinct rejected input (source and bytes): re-running the same bad input updates it in place.
CREATE TABLE rejects (
    run_id          VARCHAR NOT NULL,
    source_uri      VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,         -- read | decode | html | normalize | extract | load
    reason          VARCHAR NOT NULL,
    payload         BLOB,
    payload_sha256  VARCHAR NOT NULL,
    rejected_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (source_uri, payload_sha256)
);

CREATE INDEX mentions_article_idx ON mentions (article_id);
CREATE INDEX roles_article_idx ON roles (article_id);
CREATE INDEX metrics_article_idx ON metrics (article_id);
CREATE INDEX quotes_article_idx ON quotes (article_id);
CREATE INDEX events_article_idx ON events (article_id);
CREATE INDEX dates_article_idx ON dates (article_id);
