"""The embedded store's tables: created on open, ``IF NOT EXISTS`` so older stores gain new ones."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT,
    last_polled TEXT,
    UNIQUE (scope, location)
);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    title TEXT,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_from TEXT,
    language TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (scope, id),
    UNIQUE (scope, content_hash)
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source_id);
-- Covers a listing's count of later versions (links stored twice) without reading article rows.
CREATE INDEX IF NOT EXISTS articles_source_url ON articles (source_id, url);
-- Covers what filters and per-question lookups read (scope, dates, outlets), so they scan this
-- index instead of article rows that hold whole texts (most of a gigabyte at a million chunks).
CREATE INDEX IF NOT EXISTS articles_filter ON articles (scope, published, outlet);
-- What a window of ingest times received (the digest): ISO text in UTC, so ranges are ranges of time.
CREATE INDEX IF NOT EXISTS articles_ingested ON articles (scope, ingested_at);
CREATE TABLE IF NOT EXISTS article_dates (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    year INTEGER,
    month INTEGER NOT NULL,
    day INTEGER
);
CREATE INDEX IF NOT EXISTS article_dates_md ON article_dates (month, day);
CREATE INDEX IF NOT EXISTS article_dates_article ON article_dates (article_rowid);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks (article_rowid);
CREATE TABLE IF NOT EXISTS vectors (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (chunk_id, model)
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5 (
    text, content='chunks', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
END;
-- Counts the writes that are not appends to what filters read (filter_columns.py): a reader then
-- reads those columns again instead of only the rows past the ones it holds. (An upsert: the schema
-- itself writes nothing, so opening a store never waits for another process's write.)
CREATE TRIGGER IF NOT EXISTS articles_rewritten AFTER UPDATE OF scope, outlet, published ON articles BEGIN
    INSERT INTO meta (key, value) VALUES ('rewrites', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
CREATE TRIGGER IF NOT EXISTS articles_removed AFTER DELETE ON articles BEGIN
    INSERT INTO meta (key, value) VALUES ('rewrites', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
CREATE TRIGGER IF NOT EXISTS chunks_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO meta (key, value) VALUES ('rewrites', '1')
        ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
-- The days each chunk speaks of ("yesterday" in a July 13 report is July 12), see event_dates.py.
CREATE TABLE IF NOT EXISTS chunk_dates (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    day TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunk_dates_day ON chunk_dates (day);
CREATE INDEX IF NOT EXISTS chunk_dates_chunk ON chunk_dates (chunk_id);
-- Vectors of the sentences quotes are cut from, filled in the background after ingest (float16), so
-- a question embeds only itself instead of ~30 candidate sentences (see Engine.fill_sentence_vectors).
CREATE TABLE IF NOT EXISTS sentence_vectors (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    model TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (article_rowid, model, start)
) WITHOUT ROWID;
-- What a server's admins call an outlet ("state media"); per scope, matched case-insensitively.
CREATE TABLE IF NOT EXISTS outlet_labels (
    scope TEXT NOT NULL,
    outlet_key TEXT NOT NULL,
    outlet TEXT NOT NULL,
    label TEXT NOT NULL,
    set_by TEXT,
    set_at TEXT NOT NULL,
    PRIMARY KEY (scope, outlet_key)
);
-- Near-duplicate detection (near_duplicates.py): each article's bottom-k MinHash sketch, and the
-- link from a lightly edited copy to the article it copies (the root of its group).
CREATE TABLE IF NOT EXISTS article_sketches (
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    h INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS article_sketches_h ON article_sketches (h);
CREATE INDEX IF NOT EXISTS article_sketches_article ON article_sketches (article_rowid);
CREATE TABLE IF NOT EXISTS duplicates (
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    original_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    similarity REAL NOT NULL
);
-- Capitalised names per scope under their spelling key (place_names.py): "Dayr az Zawr" is found
-- for a question about "Deir ez-Zor".
CREATE TABLE IF NOT EXISTS name_spellings (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    spelling TEXT NOT NULL,
    PRIMARY KEY (scope, key, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT NOT NULL,
    question TEXT NOT NULL,
    quotes TEXT NOT NULL,
    vote INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    start INTEGER NOT NULL,  -- the content is articles.text[start:end] (characters), not stored twice
    "end" INTEGER NOT NULL,
    speaker TEXT,  -- articles.text[speaker_start:speaker_end], kept for queries by claimant
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue TEXT
);
CREATE INDEX IF NOT EXISTS claims_article ON claims (article_rowid);
-- Pages as fetched (zlib), once per scope and content (a Telegram page serves twenty posts), and the
-- page each article was read from: `sitrep archive`, and the sha256 an answer's document carries.
CREATE TABLE IF NOT EXISTS archives (
    scope TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (scope, sha256)
);
CREATE TABLE IF NOT EXISTS article_fetches (
    article_rowid INTEGER PRIMARY KEY REFERENCES articles(rowid) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    fetched_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_fetches_sha ON article_fetches (scope, sha256);
-- Standing questions (/watch) and daily digests (/digest) per scope; what each watch alerted (an
-- article, or its near-copy group), so no process posts it twice; and who runs them (a lease).
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    channel TEXT NOT NULL,
    query TEXT NOT NULL,
    outlet TEXT,
    exclude_label TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    after_rowid INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    alerts INTEGER NOT NULL DEFAULT 0,
    last_alert_at TEXT
);
CREATE TABLE IF NOT EXISTS watch_alerts (
    watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    alerted_at TEXT NOT NULL,
    PRIMARY KEY (watch_id, key)
);
CREATE TABLE IF NOT EXISTS digests (
    scope TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    at TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_by TEXT,
    last_sent TEXT
);
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires REAL NOT NULL);
-- Answers the bot posted, whole (Answer.to_dict as JSON), so their buttons work after a restart and on
-- any shard; and one vote per user and quote (a new vote replaces the old).
CREATE TABLE IF NOT EXISTS posted_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an old message's buttons carry its id
    scope TEXT NOT NULL,
    asker TEXT,
    created_at TEXT NOT NULL,
    answer TEXT NOT NULL,
    thread TEXT  -- the thread it opened: follow-ups there build on it
);
CREATE INDEX IF NOT EXISTS posted_answers_created ON posted_answers (created_at);
CREATE UNIQUE INDEX IF NOT EXISTS posted_answers_thread ON posted_answers (thread);
CREATE TABLE IF NOT EXISTS quote_votes (
    answer_id INTEGER NOT NULL REFERENCES posted_answers(id) ON DELETE CASCADE,
    quote INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    vote INTEGER NOT NULL,
    reason TEXT,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, quote, user_id)
);
"""
