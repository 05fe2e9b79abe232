import AssayTestSupport
import Foundation
import Testing

/// `assay review` and `assay adjudicate` driven through a pipe, the way scripts use them.
@Suite struct ReviewScriptedTests {
    @Test(arguments: TestStore.available)
    func scoresCommentsAndUndoLandExactlyAsTypedAndInvalidInputStoresNothing(on store: TestStore) throws {
        let fixture = try ReviewFixture(items: 5, models: [ReviewFixture.models[0]], on: store)
        let input = ["4 5 3 reasoning repeats itself", "9 9 9", "4 5", "frobnicate", "2 2 2", "undo", "1 1 1 café ü", "quit"]
        let result = try fixture.review(["--annotator", "alice", "--order", "sequential"], input: input.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(
            result.stdout.contains("! '9' is not a consistency value (1-5); type <consistency 1-5> <clarity 1-5> <alignment 1-5> [comment]")
        )
        #expect(result.stdout.contains("! too few values: alignment is missing"))
        #expect(result.stdout.contains("! unknown command 'frobnicate'"))
        #expect(!result.stdout.contains("review>"), "no prompt when stdin is not a terminal")
        let run = fixture.runIDs[0]
        #expect(
            try fixture.scores(of: "alice") == [
                .init(position: 1, runID: run, criteria: ReviewFixture.values(4, 5, 3), comment: "reasoning repeats itself"),
                .init(position: 2, runID: run, criteria: ReviewFixture.values(1, 1, 1), comment: "café ü"),
            ])
        #expect(try fixture.historyActions(of: "alice") == ["insert", "insert", "delete", "insert"])
    }

    @Test(arguments: TestStore.available)
    func perItemStopsServingOnceEnoughAnnotatorsScored(on store: TestStore) throws {
        let fixture = try ReviewFixture(items: 3, models: [ReviewFixture.models[0]], on: store)
        let alice = try fixture.review(["--annotator", "alice", "--per-item", "1"], input: "5 5 5\n5 5 5\n5 5 5\n")
        #expect(alice.status == 0)
        let bobWithOne = try fixture.review(["--annotator", "bob", "--per-item", "1"], input: "")
        #expect(bobWithOne.stdout.contains("Nothing left to serve"))
        let bobWithTwo = try fixture.review(["--annotator", "bob", "--per-item", "2"], input: "4 4 4\n")
        #expect(bobWithTwo.stdout.contains("saved: consistency 4"))
        #expect(try fixture.scores(of: "bob").count == 1)
    }

    @Test(arguments: TestStore.available)
    func adjudicationServesOnlyDisagreementsWithEveryScoreAndStoresAnAdjudication(on store: TestStore) throws {
        let fixture = try ReviewFixture(items: 3, models: [ReviewFixture.models[0]], on: store)
        _ = try fixture.review(["--annotator", "alice", "--order", "sequential"], input: "5 5 5\n5 5 5\n5 5 5 alice was sure\n")
        _ = try fixture.review(["--annotator", "bob", "--order", "sequential"], input: "5 5 5\n1 5 5 bob disagrees\n4 5 5\n")
        let result = try fixture.adjudicate(["--annotator", "carol", "--threshold", "1"], input: "3 5 5 settled\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1/1 · run \(fixture.runIDs[0]) · fin-model-f16-1 (F16)"))
        #expect(result.stdout.contains("bob disagrees"))
        #expect(result.stdout.contains("alice"))
        #expect(result.stdout.contains("Nothing left to serve"))
        #expect(
            try fixture.scores(of: "carol", kind: "adjudication") == [
                .init(position: 2, runID: fixture.runIDs[0], criteria: ReviewFixture.values(3, 5, 5), comment: "settled")
            ])
        #expect(try fixture.scores(of: "carol").isEmpty)
    }

    @Test(arguments: [
        (["--run", "99"], "no run with id 99; known runs: "),
        (["--per-item", "0"], "--per-item 0: give the number of annotators each item needs, 1 or more"),
        (["--filter", "colour=red"], "'colour=red' is not a filter term"),
        (["--annotator", ""], "annotator name '' is empty"),
    ])
    func badArgumentsGiveOneLineErrors(arguments: [String], message: String) throws {
        let fixture = try ReviewFixture(items: 2, models: [ReviewFixture.models[0]])
        let named = arguments.contains("--annotator") ? arguments : ["--annotator", "alice"] + arguments
        let result = try fixture.review(named, input: "")
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func aBadRubricFileNamesTheFileAndKey() throws {
        let fixture = try ReviewFixture(items: 2, models: [ReviewFixture.models[0]])
        let rubric = try fixture.folder.write(
            "bad.yaml", "name: r\nversion: 1\ncriteria:\n  - name: c\n    question: Q?\n    levels:\n      1: a\n      5: b\n")
        let result = try AssayBinary.run(["review", "--db", fixture.databasePath, "--rubric", rubric, "--annotator", "alice"], stdin: "")
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("\(rubric): criteria[0].levels: levels must be consecutive integers; 1 is followed by 5"),
            "\(result.stderr)")
    }

    @Test(arguments: TestStore.available)
    func theBenchmarkReportsPercentiles(on store: TestStore) throws {
        let postgres = store == .postgres ? try TestPostgres.Database() : nil
        let result = try AssayBinary.run(
            [
                "bench", "review", "--predictions", "400", "--samples", "20", "--rubric", ReviewFixture.rubricPath, "--json",
            ] + (postgres.map { ["--postgres", $0.url] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.map { $0["store"] as? String } == (postgres == nil ? ["sqlite"] : ["sqlite", "postgresql"]))
        for report in reports {
            #expect(report["predictions"] as? Int == 400)
            for key in ["render_next_item", "commit_score", "commit_score_without_fsync"] {
                let summary = report[key] as? [String: Any]
                #expect(summary?["p50_ms"] is Double && summary?["p99_ms"] is Double, "\(key)")
            }
            #expect((report["render_next_item"] as? [String: Any])?["samples"] as? Int == 20)
        }
        if let postgres {
            // The session scored on PostgreSQL: 20 samples, each stored once by the timed commit and again as the REPL moves on.
            #expect(
                try postgres.psql(
                    "SELECT count(*) FROM score JOIN annotator ON annotator.id = score.annotator_id WHERE annotator.name = 'bench-annotator'"
                ) == "20")
        }
    }
}
