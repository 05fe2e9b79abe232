import GRDB

/// The database schema as an append-only list of versioned migrations, one list for both stores.
///
/// Never edit a migration that has shipped: add a new one. Each identifier is recorded in the
/// database, so a binary can tell a database written by a newer Assay and refuse to touch it.
/// Tables are written once in SQLite's SQL; `PostgresMigrations` translates the few words that
/// differ. Triggers are written for each store.
enum SchemaMigrations {
    /// Every migration, in the order they run.
    static let all: [SchemaMigration] = [
        SchemaMigration("v1-datasets-models-runs", measurementTables),
        SchemaMigration(
            "v2-review", reviewTables, sqliteTriggers: sqliteScoreHistoryTriggers, postgresTriggers: postgresScoreHistoryTriggers),
        SchemaMigration("v3-review-indexes", reviewIndexes),
        SchemaMigration("v4-energy-scope", energyScope),
        SchemaMigration("v5-task-kinds", taskKinds),
        SchemaMigration("v6-divergence", divergenceTable),
        SchemaMigration("v7-item-divergence", itemDivergenceTable),
        SchemaMigration("v8-run-batch-size", runBatchSize),
        SchemaMigration("v9-fleet-endpoints", fleetEndpoints),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.tables)
                if let triggers = migration.sqliteTriggers { try db.execute(sql: triggers) }
            }
        }
        return migrator
    }

    /// The identifiers this binary knows, oldest first.
    static var knownVersions: [String] { all.map(\.identifier) }

    /// Datasets, models, runs and predictions: everything up to the measured predictions.
    static let measurementTables = """
        CREATE TABLE dataset (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source_path TEXT NOT NULL,
            format TEXT NOT NULL,
            text_column TEXT NOT NULL,
            label_column TEXT NOT NULL,
            labels TEXT NOT NULL,               -- JSON array, in the user's order
            content_hash TEXT NOT NULL,         -- SHA-256 of the texts and labels in order
            imported_at TEXT NOT NULL
        );
        CREATE TABLE item (
            id INTEGER PRIMARY KEY,
            dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,          -- 1-based row in the source file
            text TEXT NOT NULL,
            gold_label TEXT NOT NULL,
            text_hash TEXT NOT NULL,            -- SHA-256 of the text: matches predictions made elsewhere
            UNIQUE (dataset_id, position)
        );
        CREATE INDEX item_by_text ON item(dataset_id, text_hash);

        CREATE TABLE model (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            backend TEXT NOT NULL CHECK (backend IN ('embedded', 'ollama', 'openai', 'imported')),
            reference TEXT NOT NULL,            -- GGUF path, Ollama tag or served model name
            host TEXT,                          -- server URL for ollama and openai
            api_key_env TEXT,                   -- the environment variable holding the key, never the key
            architecture TEXT,
            quantization TEXT,
            parameter_count INTEGER,
            file_sha256 TEXT,
            file_size INTEGER,
            added_at TEXT NOT NULL
        );

        CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            model_id INTEGER NOT NULL REFERENCES model(id),
            dataset_id INTEGER NOT NULL REFERENCES dataset(id),
            task_name TEXT NOT NULL,
            task_definition TEXT NOT NULL,      -- the whole task file as used
            prompt_template TEXT NOT NULL,
            prompt_hash TEXT NOT NULL,
            mode TEXT NOT NULL,                 -- generate | score | imported
            hyperparameters TEXT NOT NULL,      -- JSON object
            selection TEXT NOT NULL,            -- JSON: which items, in which order (limit, sample, seed)
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted', 'failed')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            host TEXT NOT NULL,                 -- machine description: CPU, cores, OS
            threads INTEGER,
            duration_seconds REAL,              -- measured time, warm-up excluded
            energy_kwh REAL,
            energy_method TEXT,                 -- rapl | nvml | estimate | imported
            energy_constants TEXT,              -- JSON: every constant behind the figure
            emission_factor REAL,               -- grams CO2e per kWh
            emission_factor_source TEXT,        -- where the factor comes from, with its year
            emission_region TEXT,
            pue REAL,
            co2_grams REAL
        );

        CREATE TABLE prediction (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES item(id),
            label TEXT,                         -- NULL when no single label could be read
            reasoning TEXT,
            raw_output TEXT NOT NULL,
            parse_status TEXT NOT NULL CHECK (parse_status IN ('parsed', 'ambiguous', 'unparsed')),
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            latency_seconds REAL,
            backend_timings TEXT,               -- JSON: the backend's own figures, as reported
            energy_kwh REAL,                    -- this prediction's share of the run's energy
            created_at TEXT NOT NULL,
            UNIQUE (run_id, item_id)            -- a resumed run can never store an item twice
        );
        CREATE INDEX prediction_by_item ON prediction(item_id);
        """

    /// Annotators, rubrics, scores and the append-only score history.
    static let reviewTables = """
        CREATE TABLE annotator (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE rubric (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            definition TEXT NOT NULL,           -- the rubric file as used
            content_hash TEXT NOT NULL,
            UNIQUE (name, version)
        );
        CREATE TABLE score (
            id INTEGER PRIMARY KEY,
            prediction_id INTEGER NOT NULL REFERENCES prediction(id) ON DELETE CASCADE,
            annotator_id INTEGER NOT NULL REFERENCES annotator(id),
            rubric_id INTEGER NOT NULL REFERENCES rubric(id),
            kind TEXT NOT NULL DEFAULT 'annotation' CHECK (kind IN ('annotation', 'adjudication')),
            criteria TEXT NOT NULL,             -- JSON object: criterion name -> value
            comment TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (prediction_id, annotator_id, rubric_id, kind)
        );
        CREATE INDEX score_by_annotator ON score(annotator_id, rubric_id);

        -- Every change to a score, appended by triggers so that no code path can skip it.
        CREATE TABLE score_history (
            id INTEGER PRIMARY KEY,
            score_id INTEGER NOT NULL,
            prediction_id INTEGER NOT NULL,
            annotator_id INTEGER NOT NULL,
            rubric_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            criteria TEXT,
            comment TEXT,
            recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """

    /// `compare` finds a text's predictions in every dataset by hash; `item_by_text` leads with the dataset.
    static let reviewIndexes = "CREATE INDEX item_by_text_hash ON item(text_hash)"

    /// The requests a run evaluated together, which changes its energy per query.
    static let runBatchSize = "ALTER TABLE run ADD COLUMN batch_size INTEGER"

    /// A model served by several endpoints, and which endpoint answered each prediction.
    static let fleetEndpoints = """
        ALTER TABLE model ADD COLUMN endpoints TEXT;          -- JSON array of {url, concurrency}; NULL: host alone
        ALTER TABLE prediction ADD COLUMN endpoint TEXT;      -- the server URL that answered, for a fleet model
        """

    /// Where each run's inference ran (in-process, local server, remote server): what its energy covers.
    static let energyScope = "ALTER TABLE run ADD COLUMN energy_scope TEXT"

    /// Task kinds past classification: a dataset's kind, each item's other columns (options, tests,
    /// references) and each prediction's scored outcome.
    static let taskKinds = """
        ALTER TABLE dataset ADD COLUMN kind TEXT NOT NULL DEFAULT 'classification';
        ALTER TABLE item ADD COLUMN fields TEXT;              -- JSON object
        ALTER TABLE prediction ADD COLUMN outcome TEXT;       -- JSON: per-item quality figures and what they came from
        """

    /// `assay divergence` measurements: a model against its base on one text.
    static let divergenceTable = """
        CREATE TABLE divergence (
            id INTEGER PRIMARY KEY,
            base_model TEXT NOT NULL,
            model TEXT NOT NULL,
            base_sha256 TEXT NOT NULL,
            model_sha256 TEXT NOT NULL,
            text_source TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            settings TEXT NOT NULL,             -- JSON: context length, chunks
            report TEXT NOT NULL,               -- JSON: KL divergence, top-token agreement, delta p, perplexities
            host TEXT NOT NULL,
            threads INTEGER NOT NULL,
            seconds REAL NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX divergence_by_models ON divergence(base_sha256, model_sha256);
        """

    /// `assay divergence --dataset`: a measurement over a pair of runs' items (the runs and their
    /// dataset on the divergence row, NULL for a text) and each item's figures beside its flip.
    static let itemDivergenceTable = """
        ALTER TABLE divergence ADD COLUMN dataset_id INTEGER REFERENCES dataset(id) ON DELETE CASCADE;
        ALTER TABLE divergence ADD COLUMN base_run_id INTEGER REFERENCES run(id) ON DELETE CASCADE;
        ALTER TABLE divergence ADD COLUMN model_run_id INTEGER REFERENCES run(id) ON DELETE CASCADE;
        CREATE INDEX divergence_by_runs ON divergence(base_run_id, model_run_id);
        CREATE TABLE item_divergence (
            divergence_id INTEGER NOT NULL REFERENCES divergence(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
            tokens_scored INTEGER NOT NULL,     -- positions over the prompt and the base run's answer
            answer_tokens_scored INTEGER NOT NULL,
            mean_kld REAL NOT NULL,             -- nats, mean over the positions
            max_kld REAL NOT NULL,
            answer_mean_kld REAL,               -- NULL when the answer has no token
            same_top_token REAL NOT NULL,       -- share of positions
            flip TEXT CHECK (flip IN ('right_to_wrong', 'wrong_to_right', 'both_right', 'both_wrong')),
            PRIMARY KEY (divergence_id, item_id)
        );
        """

    /// The score history kept by SQLite triggers: every insert, update and delete of a score
    /// appended, and the history itself refusing change.
    static let sqliteScoreHistoryTriggers = """
        CREATE TRIGGER score_history_on_insert AFTER INSERT ON score BEGIN
            INSERT INTO score_history (score_id, prediction_id, annotator_id, rubric_id, kind, action, criteria, comment)
            VALUES (NEW.id, NEW.prediction_id, NEW.annotator_id, NEW.rubric_id, NEW.kind, 'insert', NEW.criteria, NEW.comment);
        END;
        CREATE TRIGGER score_history_on_update AFTER UPDATE ON score BEGIN
            INSERT INTO score_history (score_id, prediction_id, annotator_id, rubric_id, kind, action, criteria, comment)
            VALUES (NEW.id, NEW.prediction_id, NEW.annotator_id, NEW.rubric_id, NEW.kind, 'update', NEW.criteria, NEW.comment);
        END;
        CREATE TRIGGER score_history_on_delete AFTER DELETE ON score BEGIN
            INSERT INTO score_history (score_id, prediction_id, annotator_id, rubric_id, kind, action, criteria, comment)
            VALUES (OLD.id, OLD.prediction_id, OLD.annotator_id, OLD.rubric_id, OLD.kind, 'delete', OLD.criteria, OLD.comment);
        END;
        CREATE TRIGGER score_history_is_append_only_update BEFORE UPDATE ON score_history BEGIN
            SELECT RAISE(ABORT, 'score_history is append-only');
        END;
        CREATE TRIGGER score_history_is_append_only_delete BEFORE DELETE ON score_history BEGIN
            SELECT RAISE(ABORT, 'score_history is append-only');
        END;
        """

    /// The score history as PostgreSQL triggers: the same rows SQLite's triggers append, and the
    /// same refusal to change the history.
    static let postgresScoreHistoryTriggers = [
        """
        CREATE FUNCTION score_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                INSERT INTO score_history (score_id, prediction_id, annotator_id, rubric_id, kind, action, criteria, comment)
                VALUES (OLD.id, OLD.prediction_id, OLD.annotator_id, OLD.rubric_id, OLD.kind, 'delete', OLD.criteria, OLD.comment);
                RETURN OLD;
            END IF;
            INSERT INTO score_history (score_id, prediction_id, annotator_id, rubric_id, kind, action, criteria, comment)
            VALUES (NEW.id, NEW.prediction_id, NEW.annotator_id, NEW.rubric_id, NEW.kind, lower(TG_OP), NEW.criteria, NEW.comment);
            RETURN NEW;
        END
        $$
        """,
        "CREATE TRIGGER score_history_on_change AFTER INSERT OR UPDATE OR DELETE ON score FOR EACH ROW EXECUTE FUNCTION score_history_record()",
        """
        CREATE FUNCTION score_history_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'score_history is append-only';
        END
        $$
        """,
        "CREATE TRIGGER score_history_is_append_only BEFORE UPDATE OR DELETE ON score_history FOR EACH ROW EXECUTE FUNCTION score_history_refuse_change()",
    ]
}
