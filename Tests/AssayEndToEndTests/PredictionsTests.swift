import AssayTestSupport
import Foundation
import Testing

/// `assay predictions import | export`.
@Suite(.serialized)
struct PredictionsTests {
    static let rows: [(String, String)] = [
        ("Sales rose, \"sharply\"", "positive"), ("Costs fell\nagain", "positive"), ("Loss widened", "negative"),
        ("Meeting held", "neutral"), ("Meeting held", "neutral"),
    ]

    @Test func importMatchesByTextAndReportsUnmatchedRows() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: Self.rows)
        let file = try study.folder.write(
            "answers.csv",
            #"""
            text,prediction,why
            "Sales rose, ""sharply""",Positive,up
            "Costs fell
            again",Sentiment: negative,down
            Loss widened,bearish or bullish,?
            Meeting held,neutral,
            Meeting held,NEUTRAL,
            Meeting held,neutral,third copy
            Not in the dataset,positive,
            """#)
        let result = try study.assay(["predictions", "import", file, "--model", "gpt-4o", "--dataset", "fpb", "--reasoning-column", "why"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Imported 5 predictions from \(file) as run 1 (model 'gpt-4o', created as an imported model)"))
        #expect(result.stdout.contains("1 rows match no item of 'fpb' and were not stored: rows 7."))
        #expect(result.stdout.contains("1 rows predict an item an earlier row already predicted and were not stored: rows 6."))

        let predictions = try study.predictions()
        #expect(predictions.map { $0["label"] as? String } == ["positive", "negative", nil, "neutral", "neutral"])
        #expect(predictions.map { $0["parse_status"] as? String } == ["parsed", "parsed", "unparsed", "parsed", "parsed"])
        #expect(predictions[0]["reasoning"] as? String == "up")
        #expect(predictions[0]["mode"] as? String == "imported")
        #expect(Set(predictions.compactMap { $0["row"] as? Int }) == [1, 2, 3, 4, 5])

        let again = try study.assay(["predictions", "import", file, "--model", "gpt-4o", "--dataset", "fpb"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("is already imported for model 'gpt-4o' as run 1; nothing was stored"))
    }

    @Test func importByRowFromJSONLines() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: Self.rows)
        let file = try study.folder.write(
            "answers.jsonl",
            """
            {"row": 3, "label": "negative"}
            {"row": 1, "label": "positive"}
            {"row": 9, "label": "positive"}
            """)
        let result = try study.assay(["predictions", "import", file, "--model", "m", "--dataset", "fpb", "--id-column", "row", "--json"])
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(outcome["stored"] as? Int == 2)
        #expect(outcome["unmatched_rows"] as? [Int] == [3])
        let bad = try study.folder.write("bad.jsonl", "{\"row\": \"three\", \"label\": \"negative\"}\n")
        let refused = try study.assay(["predictions", "import", bad, "--model", "m2", "--dataset", "fpb", "--id-column", "row"])
        #expect(refused.stderr.contains("\(bad) row 1 (line 1): 'three' in column 'row' is not a dataset row number"))
    }

    @Test func csvExportQuotesAsRFC4180AndReadsBackAsADataset() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: Self.rows)
        let answers = try study.folder.write("answers.csv", "text,label\nLoss widened,negative\n")
        try study.assay(["predictions", "import", answers, "--model", "m", "--dataset", "fpb"])
        let export = try study.assay(["predictions", "export", "--format", "csv", "--run", "1"])
        #expect(export.status == 0)
        #expect(
            export.stdout.hasPrefix(
                "run_id,model,dataset,mode,item_id,row,text,gold_label,label,parse_status,reasoning,raw_output,prompt_tokens,completion_tokens,latency_seconds,energy_kwh,backend_timings,outcome,endpoint\r\n"
            ))
        #expect(export.stdout.contains("1,m,fpb,imported,3,3,Loss widened,negative,negative,parsed,,negative,,,,,,,\r\n"))

        // Every row of a run with quotes, commas and newlines survives a round trip through the CSV reader.
        let all = try study.folder.write(
            "all.csv",
            "text,label\n" + Self.rows.map { "\"\($0.0.replacingOccurrences(of: "\"", with: "\"\""))\",\($0.1)" }.joined(separator: "\n"))
        try study.assay(["predictions", "import", all, "--model", "m3", "--dataset", "fpb"])
        let written = study.folder.path("run2.csv")
        let file = try study.assay(["predictions", "export", "--format", "csv", "--run", "2", "--output", written])
        #expect(file.stderr.contains("Wrote 5 predictions to \(written)."))
        let reimport = try study.assay([
            "dataset", "import", written, "--name", "again", "--text-column", "text", "--label-column", "gold_label",
        ])
        #expect(reimport.status == 0, "\(reimport.stderr)")
        func contentHash(_ name: String) throws -> String? {
            let show = try study.assay(["dataset", "show", name, "--json"])
            return (try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["content_hash"] as? String
        }
        #expect(try contentHash("again") != nil)
        #expect(try contentHash("again") == contentHash("fpb"))
    }

    @Test func exportOfAnUnknownRunSaysSo() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: Self.rows)
        let result = try study.assay(["predictions", "export", "--format", "jsonl", "--run", "7"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no run 7"))
    }
}
