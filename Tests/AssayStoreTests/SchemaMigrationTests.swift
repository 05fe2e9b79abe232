import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing

@Suite("schema migrations")
struct SchemaMigrationTests {
    @Test("a database at the first schema version is upgraded in place, keeping its rows")
    func upgradesFirstVersionInPlace() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("old.sqlite")
        let first = try #require(AssayStore.schemaVersions.first)
        try AssayStore.createAtSchemaVersion(first, path: path)
        try DatabaseDump.execute(
            path,
            """
            INSERT INTO dataset (name, source_path, format, text_column, label_column, labels, content_hash, imported_at)
            VALUES ('old', 'old.csv', 'csv', 'text', 'label', '["positive","negative"]', 'abc', '2025-01-01 00:00:00.000');
            INSERT INTO item (dataset_id, position, text, gold_label, text_hash) VALUES (1, 1, 'Profit rose', 'positive', 'h');
            """)
        let before = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(before == [first])

        let store = try AssayStore(path: path)
        #expect(try store.appliedSchemaVersions() == AssayStore.schemaVersions.sorted())
        let summary = try store.datasetSummary(named: "old")
        #expect(summary.items == 1)
        #expect(summary.labels == ["positive": 1])
        let scoreTable = try DatabaseQueue(path: store.path).read { db in try db.tableExists("score_history") }
        #expect(scoreTable)
    }

    @Test("the score history is append-only and records every change")
    func scoreHistoryIsAppendOnly() throws {
        let folder = try TemporaryFolder()
        let store = try AssayStore(path: folder.path("s.sqlite"))
        try DatabaseQueue(path: store.path).write { db in
            try db.execute(
                sql: """
                    INSERT INTO dataset (name, source_path, format, text_column, label_column, labels, content_hash, imported_at)
                    VALUES ('d', 'd.csv', 'csv', 'text', 'label', '["positive","negative"]', 'abc', '2025-01-01');
                    INSERT INTO item (dataset_id, position, text, gold_label, text_hash) VALUES (1, 1, 'Profit rose', 'positive', 'h');
                    INSERT INTO model (name, backend, reference, added_at) VALUES ('m', 'imported', 'file.csv', '2025-01-01');
                    INSERT INTO run (model_id, dataset_id, task_name, task_definition, prompt_template, prompt_hash, mode,
                                     hyperparameters, selection, status, started_at, host)
                    VALUES (1, 1, 't', '', '', '', 'imported', '{}', '{}', 'completed', '2025-01-01', 'h');
                    INSERT INTO prediction (run_id, item_id, label, raw_output, parse_status, created_at)
                    VALUES (1, 1, 'positive', 'Positive', 'parsed', '2025-01-01');
                    INSERT INTO annotator (name, created_at) VALUES ('alice', '2025-01-01');
                    INSERT INTO rubric (name, version, definition, content_hash) VALUES ('r', '1', '', 'x');
                    INSERT INTO score (prediction_id, annotator_id, rubric_id, criteria, comment, created_at, updated_at)
                    VALUES (1, 1, 1, '{"clarity":4}', 'fine', '2025-01-01', '2025-01-01');
                    UPDATE score SET criteria = '{"clarity":2}', comment = 'on reflection, muddled';
                    DELETE FROM score;
                    """)
        }
        let actions = try DatabaseQueue(path: store.path).read { db in
            try String.fetchAll(db, sql: "SELECT action || ':' || COALESCE(criteria, '') FROM score_history ORDER BY id")
        }
        #expect(actions == ["insert:{\"clarity\":4}", "update:{\"clarity\":2}", "delete:{\"clarity\":2}"])
        #expect(throws: (any Error).self) {
            try DatabaseQueue(path: store.path).write { db in try db.execute(sql: "DELETE FROM score_history") }
        }
        #expect(throws: (any Error).self) {
            try DatabaseQueue(path: store.path).write { db in try db.execute(sql: "UPDATE score_history SET comment = 'rewritten'") }
        }
    }

    @Test("WAL mode and foreign keys are on")
    func pragmas() throws {
        let folder = try TemporaryFolder()
        let store = try AssayStore(path: folder.path("p.sqlite"))
        let (mode, keys) = try DatabaseQueue(path: store.path).read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(keys == 1)
    }
}
