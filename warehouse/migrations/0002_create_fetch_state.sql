-- What the last fetch of each URL returned, so the next run can ask "changed since?" (conditional GET).
CREATE TABLE fetch_state (
    url            VARCHAR PRIMARY KEY,       -- as requested (feed, sitemap or article URL)
    final_url      VARCHAR,                   -- after redirects
    etag           VARCHAR,
    last_modified  VARCHAR,                   -- the server's Last-Modified header, verbatim
    status         INTEGER,                   -- last HTTP status (304 when not modified)
    fetched_at     TIMESTAMP NOT NULL,
    last_error     VARCHAR                    -- reason of the last failure, NULL after a success
);
