import AssayTestSupport
import Foundation
import Testing

/// `assay imatrix` and `assay quantize --imatrix` through the binary: on SmolLM2, an importance
/// matrix from one text lowers Q4_K_M's and Q3_K_M's KL divergence from the F16 base on another
/// text; and the commands' errors.
@Suite(.serialized)
struct ImportanceMatrixCommandTests {
    /// The README's first half calibrates; its second half, which the matrix never saw, measures.
    static func texts(in study: StudyFolder) throws -> (calibration: String, evaluation: String) {
        let readme = try String(contentsOf: SharedFiles.projectFile("README.md"), encoding: .utf8)
        let middle = readme.index(readme.startIndex, offsetBy: readme.count / 2)
        return (
            try study.folder.write("calibration.txt", String(readme[..<middle])),
            try study.folder.write("evaluation.txt", String(readme[middle...]))
        )
    }

    static func meanDivergence(_ study: StudyFolder, base: String, model: String, text: String) throws -> Double {
        let result = try study.assay([
            "divergence", "--base", base, "--model", model, "--text", text, "--context", "512", "--chunks", "4", "--threads", "2", "--json",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let kld = try #require((output["report"] as? [String: Any])?["kld"] as? [String: Any])
        return try #require((kld["mean"] as? [String: Any])?["value"] as? Double)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2's F16 expansion (scripts/prepare-tests)"))
    func anImportanceMatrixLowersTheDivergenceOfQ4KMAndQ3KM() throws {
        let base = try #require(SharedFiles.smolLM2(quantizedAs: "F16"), "SmolLM2's F16 file is missing; run scripts/prepare-tests")
        let study = try StudyFolder()
        let (calibration, evaluation) = try Self.texts(in: study)
        let matrix = study.folder.url.appendingPathComponent("smollm2.imatrix.gguf").path
        let made = try study.assay([
            "imatrix", "--model", base.path, "--text", calibration, "--chunks", "6", "--threads", "2", "--output", matrix, "--json",
        ])
        try #require(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("chunk 6/6"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        #expect(summary["matrices"] as? Int == 30 * 7 && summary["tokens"] as? Int == 6 * 512)
        #expect((summary["perplexity"] as? Double ?? 0) > 1)

        for type in ["q4_k_m", "q3_k_m"] {
            var divergences: [Double] = []
            for weighted in [false, true] {
                let output = study.folder.url.appendingPathComponent("\(type)-\(weighted).gguf").path
                let result = try AssayBinary.run(
                    ["quantize", base.path, output, "--type", type] + (weighted ? ["--imatrix", matrix] : []))
                try #require(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("Weighted by the importance matrix") == weighted, "\(result.stdout)")
                divergences.append(try Self.meanDivergence(study, base: base.path, model: output, text: evaluation))
            }
            #expect(divergences[1] < divergences[0], "\(type): mean KLD \(divergences[1]) with the matrix, \(divergences[0]) without")
        }
    }

    /// `--dataset` reads a study dataset's texts; a `.dat` output is llama.cpp's legacy form.
    @Test func aDatasetsTextsCalibrateAndTheLegacyFormIsWritten() throws {
        let study = try StudyFolder()
        let model = study.folder.url.appendingPathComponent("mistral.gguf")
        try #require(RandomModelFixture.named("mistral")).write(to: model)
        try #require(
            try study.assay(["dataset", "import", SharedFiles.projectFile("samples/financial-sentences.csv").path, "--name", "fpb"]).status
                == 0)
        let output = study.folder.url.appendingPathComponent("fpb.dat")
        let result = try study.assay([
            "imatrix", "--model", model.path, "--dataset", "fpb", "--context", "64", "--chunks", "2", "--output", output.path, "--json",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["dataset"] as? String == "dataset fpb" && summary["chunks"] as? Int == 2 && summary["matrices"] as? Int == 14)
        let bytes = try Data(contentsOf: output)
        #expect(bytes.prefix(4) == Data([14, 0, 0, 0]), "the legacy form starts with its entry count")
        #expect(String(decoding: bytes.suffix(11), as: UTF8.self) == "dataset fpb", "and ends with the dataset's name")
    }

    @Test func badInputsAreOneLineErrorsAndWriteNothing() throws {
        let study = try StudyFolder()
        let text = try study.folder.write("text.txt", "Some calibration text.")
        let both = try study.assay(["imatrix", "--model", "m.gguf", "--text", text, "--dataset", "fpb"])
        #expect(both.status != 0 && both.stderr.contains("exactly one of --text FILE or --dataset NAME"), "\(both.stderr)")
        let notMatrix = try study.folder.write("not-a-matrix.dat", Data([1, 0, 0, 0, 200, 0, 0, 0]))
        let output = study.folder.url.appendingPathComponent("out.gguf").path
        let refused = try AssayBinary.run(["quantize", "absent.gguf", output, "--type", "q4_k_m", "--imatrix", notMatrix])
        #expect(refused.status != 0, "\(refused.stderr)")
        #expect(refused.stderr.contains(notMatrix) && refused.stderr.contains("byte"), "\(refused.stderr)")
        #expect(refused.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
