import AssayTestSupport
import Foundation
import Testing

/// The option groups every command shares: typed values that ArgumentParser checks, one `--db`
/// lookup for the engine commands too, and one `--run`.
@Suite struct OptionGroupTests {
    @Test(arguments: [
        (
            ["run", "--model", "m", "--dataset", "d", "--meter", "bogus"], "--meter <meter>",
            ["'auto'", "'rapl'", "'nvml'", "'estimate'", "'none'"]
        ),
        (["run", "--model", "m", "--dataset", "d", "--server-location", "moon"], "--server-location <where>", ["'local'", "'remote'"]),
        (["run", "--model", "m", "--dataset", "d", "--mode", "guess"], "--mode <mode>", ["'generate'", "'score'"]),
        (["review", "--annotator", "a", "--order", "random"], "--order <order>", ["'shuffled'", "'sequential'"]),
    ])
    func anUnknownValueListsTheChoices(arguments: [String], option: String, choices: [String]) throws {
        let folder = try TemporaryFolder()
        let result = try AssayBinary.run(arguments + ["--db", folder.path("none.sqlite")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("is invalid for '\(option)'"), "\(result.stderr)")
        for choice in choices { #expect(result.stderr.contains(choice), "\(choice) missing from: \(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.sqlite")))
    }

    @Test(arguments: [
        (["metrics", "--run", "0"], "--run 0 is not a run id"),
        (["generate", "--model", "m.gguf", "--prompt", "x", "--threads", "0"], "--threads must be at least 1"),
        (["run", "--model", "m", "--dataset", "d", "--limit", "3", "--sample", "2"], "give --limit or --sample, not both"),
        (["bench", "server", "--model", "m", "--dataset", "d", "--seed", "3"], "--seed goes with --sample"),
        (["bench", "server", "--model", "m", "--dataset", "d", "--timeout", "0"], "--timeout must be a positive number of seconds"),
        (
            ["run", "--model", "m", "--dataset", "d", "--emission-factor-source", "x"],
            "--emission-factor-source goes with --emission-factor"
        ),
    ])
    func eachGroupChecksItsOwnValues(arguments: [String], message: String) throws {
        let result = try AssayBinary.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// `generate`, `tokenize` and `bench engine` find a registered model in the database `--db`
    /// names, exactly as the study commands do, and an empty $ASSAY_DB counts as unset.
    @Test func engineCommandsLookModelsUpInTheDatabaseDbNames() throws {
        let folder = try TemporaryFolder()
        let file = URL(fileURLWithPath: folder.path("tiny-llama3.gguf"))
        try #require(RandomModelFixture.named("llama3")).write(to: file)
        let database = folder.path("elsewhere.sqlite")
        let added = try AssayBinary.run(["model", "add", "tiny", "--gguf", file.path, "--db", database])
        try #require(added.status == 0, "\(added.stderr)")

        let tokenized = try AssayBinary.run(
            ["tokenize", "--model", "tiny", "--db", database, "--json", "Hello"],
            environment: ["ASSAY_DB": ""], currentDirectory: folder.url)
        #expect(tokenized.status == 0, "\(tokenized.stderr)")
        let generated = try AssayBinary.run([
            "generate", "--model", "tiny", "--db", database, "--prompt", "Hello",
            "--max-tokens", "2", "--json",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])
        #expect((output["ids"] as? [Int])?.count == 2)
        let benched = try AssayBinary.run(
            [
                "bench", "engine", "--model", "tiny", "--prompt-tokens", "4", "--gen-tokens", "2",
                "--repetitions", "1", "--json",
            ], environment: ["ASSAY_DB": database])
        #expect(benched.status == 0, "\(benched.stderr)")

        // Without --db (and an empty $ASSAY_DB) the name is looked up in ./assay.sqlite, which does not exist here.
        let missing = try AssayBinary.run(
            ["generate", "--model", "tiny", "--prompt", "Hello"], environment: ["ASSAY_DB": ""],
            currentDirectory: folder.url)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("model 'tiny' not found") && missing.stderr.contains("assay.sqlite"), "\(missing.stderr)")
    }

    /// `--run` takes several ids after one flag as well as repeated flags, in every command that reads runs.
    @Test func runTakesSeveralIDsEitherWay() throws {
        let study = try StudyFolder()
        try study.importDataset("fpb", rows: [("Profit rose", "positive"), ("Loss widened", "negative")])
        for model in ["a", "b"] {
            let answers = try study.folder.write("\(model).csv", "text,label\nProfit rose,positive\nLoss widened,positive\n")
            let imported = try study.assay(["predictions", "import", answers, "--model", model, "--dataset", "fpb"])
            try #require(imported.status == 0, "\(imported.stderr)")
        }
        let listed = try study.assay(["predictions", "export", "--format", "csv", "--run", "1", "2"])
        let repeated = try study.assay(["predictions", "export", "--format", "csv", "--run", "1", "--run", "2"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == repeated.stdout)
        #expect(listed.stdout.components(separatedBy: "\r\n").count == 6)  // header, four rows, the empty tail
        let metrics = try study.assay(["metrics", "--run", "1", "2", "--format", "csv"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        #expect(metrics.stdout.components(separatedBy: "\r\n").count == 4)
    }
}
