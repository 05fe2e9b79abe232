import AssaySupport
import AssayTestSupport
import Foundation
import GRDB
import Testing

/// `assay divergence` through the binary: SmolLM2 in Q4_K_M against its Q6_K file, the figures
/// printed and stored with both files' sha256, and its errors.
@Suite(.serialized)
struct DivergenceCommandTests {
    static let sentences = [
        "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007.",
        "The company's net sales increased by 18% to EUR 1.2 billion, beating analysts' expectations.",
        "Finnish Talentum reports its operating profit fell to EUR 2.0 mn from EUR 4.4 mn.",
        "The contract covers the delivery of 150 trams to the city of Helsinki over five years.",
    ]

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2's Q6_K and Q4_K_M files (scripts/prepare-tests)"))
    func printsAndStoresTheFigures() throws {
        let base = try #require(SharedFiles.smolLM2(quantizedAs: "Q6_K"), "SmolLM2's Q6_K file is missing; run scripts/prepare-tests")
        let model = try #require(SharedFiles.smolLM2(quantizedAs: "Q4_K_M"), "SmolLM2's Q4_K_M file is missing; run scripts/prepare-tests")
        let study = try StudyFolder()
        let text = try study.folder.write("text.txt", String(repeating: Self.sentences.joined(separator: " ") + "\n", count: 12))
        let result = try study.assay([
            "divergence", "--base", base.path, "--model", model.path, "--text", text, "--context", "128", "--chunks", "3", "--threads", "2",
            "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("chunk 3/3"))
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let report = try #require(output["report"] as? [String: Any])
        #expect(report["tokens_scored"] as? Int == 3 * 63)
        let kld = try #require(report["kld"] as? [String: Any])
        let mean = try #require((kld["mean"] as? [String: Any])?["value"] as? Double)
        #expect(mean > 0 && mean < 1, "a 4-bit file against its 6-bit sibling differs a little")
        let same = try #require((report["same_top_token"] as? [String: Any])?["value"] as? Double)
        #expect(same > 0.5 && same <= 1)
        let perplexity = try #require((report["base_perplexity"] as? [String: Any])?["value"] as? Double)
        #expect(perplexity > 1)

        let stored = try DatabaseQueue(path: study.database).read { db in
            try Row.fetchOne(db, sql: "SELECT base_sha256, model_sha256, text_sha256, settings, report FROM divergence WHERE id = 1")
        }
        let row = try #require(stored)
        #expect((row["base_sha256"] as String) == output["base_sha256"] as? String)
        #expect((row["model_sha256"] as String).count == 64 && (row["text_sha256"] as String).count == 64)
        #expect((row["settings"] as String).contains("\"context\":128"))

        let text2 = try study.assay([
            "divergence", "--base", base.path, "--model", model.path, "--text", text, "--context", "128", "--chunks", "1",
        ])
        #expect(text2.status == 0 && text2.stdout.contains("mean KLD") && text2.stdout.contains("same top token"))
        #expect(text2.stdout.hasPrefix("Divergence 2:"))
    }

    @Test func badInputsAreOneLineErrorsAndStoreNothing() throws {
        let study = try StudyFolder()
        let binary = try study.folder.write("binary.txt", Data([0xFF, 0xFE, 0x00, 0x41]))
        let missing = try study.assay(["divergence", "--base", "absent.gguf", "--model", "absent.gguf", "--text", binary])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not valid UTF-8") && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        let short = try study.assay(["divergence", "--base", "a.gguf", "--model", "b.gguf", "--text", binary, "--context", "4"])
        #expect(short.status != 0 && short.stderr.contains("--context 4 is too short"), "\(short.stderr)")
        #expect(!FileManager.default.fileExists(atPath: study.database))
    }

    /// `compare` of two runs names the items that flipped and, once `assay divergence` measured the
    /// two model files, shows their KL divergence and top-token agreement.
    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2's Q6_K and Q4_K_M files (scripts/prepare-tests)"))
    func compareNamesTheFlipsAndShowsTheMeasuredDivergence() throws {
        let base = try #require(SharedFiles.smolLM2(quantizedAs: "Q6_K"), "SmolLM2's Q6_K file is missing; run scripts/prepare-tests")
        let model = try #require(SharedFiles.smolLM2(quantizedAs: "Q4_K_M"), "SmolLM2's Q4_K_M file is missing; run scripts/prepare-tests")
        let study = try StudyFolder()
        try #require(try study.assay(["model", "add", "smollm2-q6_k", "--gguf", base.path]).status == 0)
        try #require(try study.assay(["model", "add", "smollm2-q4_k_m", "--gguf", model.path]).status == 0)
        try #require(
            try study.assay(["dataset", "import", SharedFiles.projectFile("samples/financial-sentences.csv").path, "--name", "fpb"]).status
                == 0)
        for name in ["smollm2-q6_k", "smollm2-q4_k_m"] {
            _ = try study.runSummary(
                try study.assay(["run", "--model", name, "--dataset", "fpb", "--limit", "8", "--max-tokens", "12", "--json"]))
        }
        let before = try study.assay(["compare", "1", "2"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("flips (label): right -> wrong"))
        #expect(before.stdout.contains("divergence: not measured for these model files"))

        // The flips named are the rows whose answer went from right to wrong, and back.
        let predictions = try study.predictions()
        func right(_ run: Int) -> [Int: Bool] {
            Dictionary(
                uniqueKeysWithValues: predictions.filter { $0["run_id"] as? Int == run }.map {
                    ($0["row"] as? Int ?? 0, ($0["label"] as? String) == ($0["gold_label"] as? String))
                })
        }
        let (old, new) = (right(1), right(2))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try study.assay(["compare", "1", "2", "--format", "json"]).stdout.utf8))
                as? [String: Any])
        let flips = try #require(json["flips"] as? [String: Any])
        #expect(flips["right_to_wrong"] as? [Int] == old.keys.sorted().filter { old[$0] == true && new[$0] == false })
        #expect(flips["wrong_to_right"] as? [Int] == old.keys.sorted().filter { old[$0] == false && new[$0] == true })
        #expect(json["divergence"] == nil)

        let text = try study.folder.write("text.txt", String(repeating: Self.sentences.joined(separator: " ") + "\n", count: 6))
        let measured = try study.assay([
            "divergence", "--base", "smollm2-q6_k", "--model", "smollm2-q4_k_m", "--text", text, "--context", "128", "--chunks", "1",
            "--json",
        ])
        #expect(measured.status == 0, "\(measured.stderr)")
        let report = try #require(
            (try JSONSerialization.jsonObject(with: Data(measured.stdout.utf8)) as? [String: Any])?["report"] as? [String: Any])
        let mean = try #require(((report["kld"] as? [String: Any])?["mean"] as? [String: Any])?["value"] as? Double)
        let after = try #require(
            try JSONSerialization.jsonObject(with: Data(try study.assay(["compare", "1", "2", "--format", "json"]).stdout.utf8))
                as? [String: Any])
        let divergence = try #require(after["divergence"] as? [String: Any])
        #expect(divergence["mean_kld"] as? Double == mean)
        #expect(divergence["id"] as? Int == 1)
        let printed = try study.assay(["compare", "1", "2"])
        #expect(printed.stdout.contains("divergence 1 (after's model file against before's, on \(text)): mean KLD"))
        // The reverse pair was not measured: q6 against q4 is another question.
        #expect(try study.assay(["compare", "2", "1"]).stdout.contains("divergence: not measured"))

        // The report sets the flips beside the divergence for the quantized run against its baseline.
        let page = study.folder.path("report.html")
        #expect(try study.assay(["report", "--out", page]).status == 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let section = try #require(html.components(separatedBy: "<h2>What quantization changed</h2>").dropFirst().first)
        let row = try #require(section.components(separatedBy: "<tr>").dropFirst(2).first)
        #expect(row.contains("smollm2-q6_k, run 1") && row.contains("smollm2-q4_k_m, run 2"), "\(row)")
        #expect(row.contains("<td>\(formatSignificant(mean, digits: 4))</td>"), "\(row)")
        #expect(row.contains("<td>\((flips["right_to_wrong"] as? [Int])?.count ?? -1)</td>"))
    }
}
