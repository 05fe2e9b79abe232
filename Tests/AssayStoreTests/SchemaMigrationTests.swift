import AssayCore
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

    @Test("a divergence stored before v7 still reads as a text's, and a pair of runs' item figures are stored whole or not at all")
    func itemDivergenceMigratesAndIsAtomic() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("v6.sqlite")
        try AssayStore.createAtSchemaVersion("v6-divergence", path: path)
        try DatabaseDump.execute(
            path,
            """
            INSERT INTO dataset (name, source_path, format, text_column, label_column, labels, content_hash, imported_at)
            VALUES ('d', 'd.csv', 'csv', 'text', 'label', '["positive","negative"]', 'abc', '2025-01-01 00:00:00.000');
            INSERT INTO item (dataset_id, position, text, gold_label, text_hash) VALUES (1, 1, 'Profit rose', 'positive', 'h1');
            INSERT INTO item (dataset_id, position, text, gold_label, text_hash) VALUES (1, 2, 'Sales fell', 'negative', 'h2');
            INSERT INTO model (name, backend, reference, added_at) VALUES ('m', 'imported', 'file.csv', '2025-01-01 00:00:00.000');
            INSERT INTO run (model_id, dataset_id, task_name, task_definition, prompt_template, prompt_hash, mode,
                             hyperparameters, selection, status, started_at, host)
            VALUES (1, 1, 't', '', '', 'a', 'imported', '{}', '{}', 'completed', '2025-01-01 00:00:00.000', 'h'),
                   (1, 1, 't', '', '', 'b', 'imported', '{}', '{}', 'completed', '2025-01-01 00:00:00.000', 'h');
            INSERT INTO divergence (base_model, model, base_sha256, model_sha256, text_source, text_sha256, settings, report, host,
                                    threads, seconds, created_at)
            VALUES ('b.gguf', 'm.gguf', 'bb', 'mm', 'wiki.txt', 'tt', '{"context":512}', '{}', 'h', 2, 1.5, '2025-01-01 00:00:00.000');
            """)
        let store = try AssayStore(path: path)
        #expect(try store.appliedSchemaVersions().contains("v7-item-divergence"))
        let old = try #require(try store.divergences(baseSha256: "bb", modelSha256: "mm").first)
        #expect(old.textSource == "wiki.txt" && old.datasetId == nil && old.baseRunId == nil && old.modelRunId == nil)
        #expect(try store.itemDivergence(baseRun: 1, modelRun: 2) == nil)

        let measurement = DivergenceRecord(
            baseModel: "b.gguf", model: "m.gguf", baseSha256: "bb", modelSha256: "mm", textSource: "d", textSha256: "ss",
            settings: "{}", report: "{}", host: "h", threads: 2, seconds: 2, datasetId: 1, baseRunId: 1, modelRunId: 2)
        func item(_ id: ItemID, _ kld: Double, _ flip: FlipCategory?) -> ItemDivergenceRecord {
            ItemDivergenceRecord(
                itemId: id, tokensScored: 10, answerTokensScored: 3, meanKld: kld, maxKld: kld * 4, answerMeanKld: kld * 2,
                sameTopToken: 0.9, flip: flip)
        }
        // An item that does not exist fails the whole measurement: no divergence row is left behind.
        #expect(throws: (any Error).self) {
            _ = try store.saveDivergence(measurement, items: [item(2, 0.1, .bothRight), item(9, 0.2, nil)])
        }
        #expect(try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM divergence") } == 1)

        let saved = try store.saveDivergence(measurement, items: [item(2, 0.1, .rightToWrong), item(1, 0.02, nil)])
        let read = try #require(try store.itemDivergence(baseRun: 1, modelRun: 2))
        #expect(read.divergence.id == saved.id && saved.id == 2 && read.divergence.datasetId == 1 && read.divergence.modelRunId == 2)
        #expect(read.items.map(\.row) == [1, 2])
        #expect(
            read.items.map(\.figures)
                == [item(1, 0.02, nil), item(2, 0.1, .rightToWrong)].map { record in
                    var stored = record
                    stored.divergenceId = 2
                    return stored
                })
        // The text's measurements leave the pair's out.
        #expect(try store.divergences(baseSha256: "bb", modelSha256: "mm").map(\.id) == [1])
        #expect(try store.itemDivergence(baseRun: 2, modelRun: 1) == nil)
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
