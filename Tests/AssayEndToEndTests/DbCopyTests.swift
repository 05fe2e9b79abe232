import AssayTestSupport
import Foundation
import Testing

/// `assay db copy` between a SQLite file and a real PostgreSQL server on 127.0.0.1 (see
/// TestPostgres), through the built binary.
struct DbCopyTests {
    /// A study with every table filled: two runs, three annotators' scores with an edit and a
    /// removal in their history, an adjudication, and a divergence measured per item.
    private static func study() throws -> MeasurementFixture {
        let gold = ["pos", "neg", "pos", "neu", "neg", "pos", "neu", "pos", "neg", "pos", "neu", "neg"]
        let study = try MeasurementFixture(gold: gold, labels: ["neg", "neu", "pos"])
        let before = try study.addRun(
            model: "base-f16", answers: gold.enumerated().map { $0.offset % 5 == 0 ? "neu" : $0.element }, durationSeconds: 12.5,
            energyKWh: 0.000_123_456_789, energyMethod: .estimate, constants: ["cpu_watts": .number(35.2)],
            emissionFactor: 0.1 + 0.2, emissionSource: "test factor, 2026")
        let after = try study.addRun(
            model: "base-q4", answers: gold.enumerated().map { $0.offset % 4 == 0 ? nil : $0.element }, durationSeconds: 7.25)
        try study.addScores(
            runID: before, criterion: "clarity",
            byAnnotator: [
                "alice": [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 4], "bob": [1, 3, 3, 5, 5, 2, 2, 4, 4, 2, 3, 3],
                "carol": [2, 3, 3, 4, 5, nil, 2, 4, 5, 1, 2, 4],
            ], adjudicator: "dana")
        try DatabaseDump.execute(
            study.database,
            """
            UPDATE score SET criteria = '{"clarity":2}', comment = 'révisé — ✓ "quoted", tab\tend' WHERE id = 3;
            DELETE FROM score WHERE id = 5;
            UPDATE prediction SET reasoning = 'Ünïcode reasoning, 中文, and an emoji 🧪', energy_kwh = 1e-300 WHERE id = 1;
            INSERT INTO divergence (base_model, model, base_sha256, model_sha256, text_source, text_sha256, settings, report, host, threads, seconds, created_at, dataset_id, base_run_id, model_run_id)
            VALUES ('base-f16', 'base-q4', 'aa', 'bb', 'dataset sentences', 'cc', '{"context":128}', '{"mean_kld":0.0123}', 'test host', 2, 1.5, '2026-12-07T10:00:00.000Z', 1, \(before), \(after));
            INSERT INTO item_divergence VALUES (1, 1, 40, 3, 0.01, 0.5, NULL, 0.975, 'right_to_wrong'), (1, 2, 41, 2, 0.02, 0.25, 0.125, 1.0, NULL);
            """)
        return study
    }

    private static let comparedOutputs: [[String]] = [
        ["metrics", "--all", "--format", "json"], ["export", "scores", "--format", "jsonl"], ["agreement", "--json"],
    ]

    @Test(.enabled(if: TestPostgres.isEnabled))
    func sqliteToPostgresToSQLiteKeepsEveryRowAndEveryFigure() throws {
        let study = try Self.study()
        let postgres = try TestPostgres.Database()
        let there = try AssayBinary.run(["db", "copy", study.database, postgres.url])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("rows in 11 tables from \(study.database) to postgres://"), "\(there.stdout)")
        #expect(there.stderr.contains("score_history: 49 of 49 rows"), "\(there.stderr)")
        // The history was copied, not recorded a second time by the trigger.
        #expect(try postgres.psql("SELECT count(*) FROM score_history") == "49")
        #expect(try postgres.psql("SELECT count(*) FROM score") == "46")

        let back = study.folder.path("back.sqlite")
        let home = try AssayBinary.run(["db", "copy", postgres.url, back, "--json"])
        #expect(home.status == 0, "\(home.stderr)")
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(home.stdout.utf8)) as? [[String: Any]])
        #expect(
            counts.map { $0["table"] as? String } == [
                "dataset", "item", "model", "run", "prediction", "annotator", "rubric", "score", "score_history", "divergence",
                "item_divergence",
            ])
        #expect(counts.first { $0["table"] as? String == "prediction" }?["copied"] as? Int == 24)

        #expect(try DatabaseDump.dump(back) == DatabaseDump.dump(study.database))
        // The same figures from the SQLite original, from PostgreSQL itself, and from the copy back.
        for arguments in Self.comparedOutputs {
            let original = try AssayBinary.run(arguments + ["--db", study.database])
            #expect(original.status == 0, "\(original.stderr)")
            #expect(!original.stdout.isEmpty)
            for store in [postgres.url, back] {
                let copied = try AssayBinary.run(arguments + ["--db", store])
                #expect(copied.stderr.isEmpty, "\(copied.stderr)")
                #expect(copied.stdout == original.stdout, "assay \(arguments.joined(separator: " ")) differs on \(store)")
            }
        }
    }

    @Test(.enabled(if: TestPostgres.isEnabled))
    func aCopiedStoreKeepsRecordingHistoryAndNumberingRows() throws {
        let study = try Self.study()
        let postgres = try TestPostgres.Database()
        #expect(try AssayBinary.run(["db", "copy", study.database, postgres.url]).status == 0)
        // New rows continue after the copied ids, and the trigger that was off during the copy records again.
        let id = try postgres.psql(
            "INSERT INTO score (prediction_id, annotator_id, rubric_id, criteria, created_at, updated_at) VALUES (2, 4, 1, '{\"clarity\":1}', 'now', 'now') RETURNING id"
        )
        #expect(id == "48")
        #expect(try postgres.psql("SELECT action FROM score_history WHERE score_id = 48") == "insert")
        #expect(throws: (any Error).self) { try postgres.psql("DELETE FROM score_history WHERE id = 1") }
        #expect(
            try postgres.psql("SELECT string_agg(identifier, ',' ORDER BY identifier) FROM grdb_migrations")
                == "v1-datasets-models-runs,v2-review,v3-review-indexes,v4-energy-scope,v5-task-kinds,v6-divergence,v7-item-divergence,v8-run-batch-size,v9-fleet-endpoints"
        )
    }

    @Test(.enabled(if: TestPostgres.isEnabled))
    func aDestinationThatHoldsAStudyIsLeftAlone() throws {
        let study = try Self.study()
        let postgres = try TestPostgres.Database()
        #expect(try AssayBinary.run(["db", "copy", study.database, postgres.url]).status == 0)
        let again = try AssayBinary.run(["db", "copy", study.database, postgres.url])
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("Error: postgres://"), "\(again.stderr)")
        #expect(again.stderr.contains("already holds a study (table dataset has rows); copy into an empty database"))
        #expect(try postgres.psql("SELECT count(*) FROM prediction") == "24")

        let existing = study.folder.path("existing.sqlite")
        _ = try study.folder.write("existing.sqlite", "keep me")
        let overwrite = try AssayBinary.run(["db", "copy", postgres.url, existing])
        #expect(overwrite.status == 1)
        #expect(overwrite.stderr == "Error: \(existing) already exists; copy into a new file, or move that one away first\n")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }

    @Test(.enabled(if: TestPostgres.isEnabled))
    func aFailedCopyLeavesNothingBehind() throws {
        let study = try Self.study()
        // PostgreSQL's text cannot hold NUL: the copy fails part-way, naming the row.
        try DatabaseDump.execute(study.database, "UPDATE prediction SET raw_output = 'a' || char(0) || 'b' WHERE id = 7")
        let postgres = try TestPostgres.Database()
        let result = try AssayBinary.run(["db", "copy", study.database, postgres.url])
        #expect(result.status == 1)
        // Progress lines come first; the error is the last line.
        #expect(
            result.stderr.hasSuffix(
                "\nError: table prediction, row id 7: column raw_output holds a NUL character, which a copy cannot keep (PostgreSQL's text cannot hold one); remove it in the source and copy again\n"
            ),
            "\(result.stderr)")
        #expect(try postgres.psql("SELECT count(*) FROM dataset") == "0")
        #expect(try postgres.psql("SELECT count(*) FROM item") == "0")
    }

    @Test func storesThatCannotBeUsedAreNamedWithTheFix() throws {
        let study = try Self.study()
        let folder = study.folder
        let cases: [([String], String)] = [
            (
                ["db", "copy", study.database, "postgres://127.0.0.1:5432/study"],
                "Error: postgres://127.0.0.1:5432/study: the URL names no user; put one before the host, for example postgres://alice@127.0.0.1:5432/study\n"
            ),
            (
                ["db", "copy", study.database, "postgres://alice@127.0.0.1:5432/study?sslmode=maybe"],
                "Error: postgres://alice@127.0.0.1:5432/study?sslmode=maybe: sslmode 'maybe' is not one of disable, prefer, require, verify-full\n"
            ),
            (
                ["db", "copy", study.database, "postgres://alice:secret@127.0.0.1:99999/study"],
                "Error: postgres://alice:***@127.0.0.1:99999/study: port 99999 is out of range; use 1 to 65535 (PostgreSQL's default is 5432)\n"
            ),
            (
                ["db", "copy", study.database, study.database],
                "Error: \(study.database) is both the source and the destination; give a new file or an empty database to copy into\n"
            ),
            (
                ["db", "copy", folder.path("missing.sqlite"), folder.path("new.sqlite")],
                "Error: \(folder.path("missing.sqlite")): no database here yet; import a dataset first (assay dataset import FILE --name NAME) or pass --db\n"
            ),
            (
                ["demo", "--db", "postgres://alice@127.0.0.1:5432/study"],
                "Error: postgres://alice@127.0.0.1:5432/study: this command works on a SQLite study only; copy the study to a file with assay db copy postgres://alice@127.0.0.1:5432/study study.sqlite and pass --db study.sqlite\n"
            ),
        ]
        for (arguments, message) in cases {
            let result = try AssayBinary.run(arguments)
            #expect(result.status == 1, "assay \(arguments.joined(separator: " "))")
            #expect(result.stderr == message)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("new.sqlite")))

        // Nothing listens on port 1: the error says so in one line and names the fix.
        let unreachable = try AssayBinary.run(["db", "copy", study.database, "postgres://alice@127.0.0.1:1/study?sslmode=disable"])
        #expect(unreachable.status == 1)
        #expect(
            unreachable.stderr.hasPrefix("Error: postgres://alice@127.0.0.1:1/study: cannot connect (Connection refused); "),
            "\(unreachable.stderr)")
        #expect(
            unreachable.stderr.hasSuffix(
                "check that the server runs, that the URL's host, port, user and database are right, and the password (in the URL or $PGPASSWORD)\n"
            ))
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }
}
