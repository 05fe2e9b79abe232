import AssaySupport
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay divergence --dataset --runs` through the binary on a tiny random model (the mistral
/// fixture in Q8_0) and its Q4_0 quantization: each item's figures stored beside the flip that the
/// two runs' answers make, then shown by `compare` and drawn in the report.
@Suite(.serialized)
struct DatasetDivergenceTests {
    static let task = """
        name: tiny-sentiment
        labels: [positive, negative]
        prompt:
          system: "Classify the sentiment."
          user: "Sentiment of: {text}"
        hyperparameters: {max_tokens: 3, batch_size: 1, context_length: 256}
        """

    static let rows = [
        ("Profit doubled in the quarter.", "positive"), ("Sales fell sharply.", "negative"),
        ("The company beat every estimate.", "positive"), ("Losses widened again.", "negative"),
        ("Orders rose by a third.", "positive"), ("The plant was closed.", "negative"),
        ("Margins improved.", "positive"), ("Guidance was cut.", "negative"),
    ]

    /// The study: both models registered (family "tiny": Q8_0 first, then Q4_0), the dataset, and a
    /// score-mode run of each (runs 1 and 2).
    static func study() throws -> StudyFolder {
        let study = try StudyFolder()
        let fixture = try #require(RandomModelFixture.named("mistral"))
        let q8 = study.folder.path("tiny-q8_0.gguf")
        try fixture.write(to: URL(fileURLWithPath: q8))
        let q4 = study.folder.path("tiny-q4_0.gguf")
        let quantized = try AssayBinary.run(["quantize", q8, q4, "--type", "q4_0"])
        try #require(quantized.status == 0, "\(quantized.stderr)")
        for (name, path) in [("tiny-q8_0", q8), ("tiny-q4_0", q4)] {
            let added = try study.assay(["model", "add", name, "--gguf", path])
            try #require(added.status == 0, "\(added.stderr)")
        }
        try study.importDataset("mini", rows: rows, labels: ["positive", "negative"])
        let task = try study.folder.write("task.yaml", Self.task)
        for name in ["tiny-q8_0", "tiny-q4_0"] {
            _ = try study.runSummary(
                try study.assay([
                    "run", "--model", name, "--dataset", "mini", "--task", task, "--mode", "score", "--threads", "1", "--json",
                ]))
        }
        return study
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test func storesEachItemBesideItsFlipAndCompareAndTheReportShowThem() throws {
        let study = try Self.study()
        let result = try study.assay(["divergence", "--dataset", "mini", "--runs", "1,2", "--threads", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("8/8"), "the progress reaches the last item: \(result.stderr)")
        let output = try Self.json(result.stdout)
        #expect(output["base"] as? String == "tiny-q8_0" && output["model"] as? String == "tiny-q4_0")
        #expect(output["flip_metric"] as? String == "label")
        let report = try #require(output["report"] as? [String: Any])
        #expect(report["chunks"] as? Int == 8 && report["context"] as? Int == 256)

        // The flip of each item, from the two runs' stored answers.
        let predictions = try study.predictions()
        func right(_ run: Int) -> [Int: Bool] {
            Dictionary(
                uniqueKeysWithValues: predictions.filter { $0["run_id"] as? Int == run }.map {
                    ($0["row"] as? Int ?? 0, ($0["label"] as? String) == ($0["gold_label"] as? String))
                })
        }
        let (before, after) = (right(1), right(2))
        func flip(_ row: Int) -> String {
            switch (before[row] == true, after[row] == true) {
            case (true, false): "right_to_wrong"
            case (false, true): "wrong_to_right"
            case (true, true): "both_right"
            case (false, false): "both_wrong"
            }
        }
        let stored = try DatabaseQueue(path: study.database).read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT item.position, item_divergence.* FROM item_divergence JOIN item ON item.id = item_divergence.item_id
                    WHERE divergence_id = 1 ORDER BY item.position
                    """)
        }
        #expect(stored.map { $0["position"] as Int } == Array(1...8))
        for row in stored {
            let position: Int = row["position"]
            #expect((row["flip"] as String) == flip(position), "row \(position)")
            #expect((row["mean_kld"] as Double) > 0 && (row["max_kld"] as Double) >= (row["mean_kld"] as Double))
            #expect((row["tokens_scored"] as Int) > (row["answer_tokens_scored"] as Int) && (row["answer_tokens_scored"] as Int) > 0)
            #expect((0...1).contains(row["same_top_token"] as Double))
        }
        let measurement = try DatabaseQueue(path: study.database).read { db in
            try Row.fetchOne(db, sql: "SELECT dataset_id, base_run_id, model_run_id, text_source, settings FROM divergence WHERE id = 1")
        }
        let record = try #require(measurement)
        #expect((record["dataset_id"] as Int) == 1 && (record["base_run_id"] as Int) == 1 && (record["model_run_id"] as Int) == 2)
        #expect((record["text_source"] as String) == "mini" && (record["settings"] as String).contains("\"context\":256"))

        // The output's summary is the stored rows' means, and the top items are the largest, largest first.
        let klds = Dictionary(uniqueKeysWithValues: stored.map { ($0["position"] as Int, $0["mean_kld"] as Double) })
        let flipped = klds.keys.filter { ["right_to_wrong", "wrong_to_right"].contains(flip($0)) }
        let flips = try #require(output["flips"] as? [String: Any])
        #expect((flips["flipped"] as? [String: Any])?["items"] as? Int == flipped.count)
        #expect((flips["unflipped"] as? [String: Any])?["items"] as? Int == 8 - flipped.count)
        let categories = try #require(flips["categories"] as? [[String: Any]])
        #expect(categories.map { $0["flip"] as? String } == ["right_to_wrong", "wrong_to_right", "both_right", "both_wrong"])
        for category in categories {
            let members = klds.keys.filter { flip($0) == category["flip"] as? String }
            #expect(category["items"] as? Int == members.count)
            if let mean = category["mean_kld"] as? Double {
                #expect(abs(mean - members.map { klds[$0] ?? 0 }.reduce(0, +) / Double(members.count)) < 1e-12)
            } else {
                #expect(members.isEmpty)
            }
        }
        let top = try #require(output["top_items"] as? [[String: Any]])
        #expect(top.compactMap { $0["row"] as? Int } == klds.keys.sorted { (klds[$0] ?? 0, -$0) > (klds[$1] ?? 0, -$1) })

        // compare shows the flipped items' mean KLD against the unflipped ones'.
        let compared = try study.assay(["compare", "1", "2"])
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains("per-item divergence 1 (8 items, their prompts and run 1's answers): "))
        #expect(compared.stdout.contains(" over \(8 - flipped.count) unflipped item"), "\(compared.stdout)")
        let comparedJSON = try Self.json(try study.assay(["compare", "1", "2", "--format", "json"]).stdout)
        let summary = try #require(comparedJSON["item_divergence"] as? [String: Any])
        #expect(summary["id"] as? Int == 1 && summary["items"] as? Int == 8)
        #expect(((summary["flips"] as? [String: Any])?["unflipped"] as? [String: Any])?["items"] as? Int == 8 - flipped.count)
        // The text-mode summary is for a text only: none was measured.
        #expect(compared.stdout.contains("divergence: not measured for these model files"))

        // The report draws one point per item in the flips-versus-KL chart.
        let page = study.folder.path("report.html")
        let written = try study.assay(["report", "--out", page])
        #expect(written.status == 0, "\(written.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let chart = try #require(
            html.components(separatedBy: "aria-label=\"Per-item KL divergence by flip category\"").dropFirst().first?
                .components(separatedBy: "</svg>").first)
        #expect(chart.components(separatedBy: "<circle").count - 1 == 8)
        #expect(chart.contains("<title>row 1: mean KLD \(formatSignificant(klds[1] ?? 0, digits: 4))"))

        // The text form prints the same measurement again, as divergence 2.
        let text = try study.assay(["divergence", "--dataset", "mini", "--runs", "1,2", "--threads", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Divergence 2: tiny-q4_0 against tiny-q8_0 on dataset mini, runs 1 and 2"))
        #expect(text.stdout.contains("flip (label)") && text.stdout.contains("the 8 items that diverged most:"))
    }

    @Test func badPairsAreOneLineErrorsAndStoreNothing() throws {
        let study = try Self.study()
        let answers = try study.folder.write(
            "answers.csv", "text,label\n" + Self.rows.map { "\($0.0),positive" }.joined(separator: "\n") + "\n")
        let imported = try study.assay(["predictions", "import", answers, "--model", "gpt-x", "--dataset", "mini"])
        try #require(imported.status == 0, "\(imported.stderr)")

        func fails(_ arguments: [String], saying message: String) throws {
            let result = try study.assay(["divergence"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        try fails(
            ["--runs", "1,3", "--dataset", "mini"],
            saying: "run 3's model 'gpt-x' runs on imported, not the embedded engine; give its GGUF file with --model FILE.gguf")
        try fails(["--runs", "3,1", "--dataset", "mini", "--base", "tiny-q8_0"], saying: "run 3 holds imported predictions")
        try fails(["--runs", "1,2", "--dataset", "other"], saying: "no dataset named 'other'")
        try fails(["--runs", "1,2", "--dataset", "mini", "--text", "t.txt"], saying: "--text and --dataset are exclusive")
        try fails(["--dataset", "mini"], saying: "--dataset needs --runs BASE,MODEL")
        try fails(["--runs", "1", "--dataset", "mini"], saying: "--runs '1' is not a pair of runs")
        try fails(["--runs", "1,2", "--dataset", "mini", "--chunks", "2"], saying: "--context and --chunks cut a --text")
        try fails(["--runs", "1,2", "--base", "tiny-q8_0", "--model", "tiny-q4_0"], saying: "give --text FILE")
        let count = try DatabaseQueue(path: study.database).read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM divergence) + (SELECT COUNT(*) FROM item_divergence)")
        }
        #expect(count == 0)
    }
}
