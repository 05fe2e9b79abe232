import AssayTestSupport
import Foundation
import GGUF
import Testing

/// Each architecture the engine runs, end to end through the binary on its random-weight file
/// (RandomModelFixture): `model add`, `run` in both modes, `generate --chat` and `bench engine`;
/// any other architecture is refused at `model add`, in one line.
@Suite struct ArchitectureCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: RandomModelFixture.all.map(\.name))
    func everyCommandRunsTheArchitecture(name: String) throws {
        let fixture = try #require(RandomModelFixture.named(name))
        let study = try StudyFolder()
        let model = study.folder.path("\(name).gguf")
        try fixture.write(to: URL(fileURLWithPath: model))
        let added = try study.assay(["model", "add", name, "--gguf", model])
        #expect(added.status == 0, "\(name): \(added.stderr)")
        let task = try study.folder.write(
            "short.yaml",
            """
            name: short-sentiment
            labels: [positive, negative, neutral]
            prompt:
              system: "Classify the sentiment."
              user: "Sentiment of: {text}"
            hyperparameters: {max_tokens: 3, batch_size: 1}
            """)
        try study.importDataset("mini", rows: [("Profit doubled.", "positive"), ("Sales fell sharply.", "negative")])
        for mode in ["generate", "score"] {
            let run = try study.assay(["run", "--model", name, "--dataset", "mini", "--task", task, "--mode", mode, "--json"])
            #expect(run.status == 0, "\(name) --mode \(mode): \(run.stderr)")
            let summary = try study.runSummary(run)
            #expect(summary["status"] as? String == "completed", "\(name) --mode \(mode)")
        }
        #expect(try study.predictions().count == 4, "\(name): two predictions per mode")

        let generated = try AssayBinary.run([
            "generate", "--model", model, "--chat", "--prompt", "Hi", "--max-tokens", "4",
            "--json",
        ])
        #expect(generated.status == 0, "\(name) generate: \(generated.stderr)")
        #expect((try Self.json(generated.stdout)["ids"] as? [Int])?.isEmpty == false)

        let bench = try AssayBinary.run([
            "bench", "engine", "--model", model, "--threads", "1", "--prompt-tokens", "16",
            "--gen-tokens", "4", "--repetitions", "1", "--json",
        ])
        #expect(bench.status == 0, "\(name) bench: \(bench.stderr)")
        #expect(try Self.json(bench.stdout)["decode_tok_s"] as? Double ?? 0 > 0)
    }

    @Test func anotherArchitectureIsRefusedAtModelAdd() throws {
        let study = try StudyFolder()
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("mamba"))
        writer.set("mamba.block_count", .uint32(1))
        let path = study.folder.path("mamba.gguf")
        try writer.write(to: URL(fileURLWithPath: path))
        let result = try study.assay(["model", "add", "m", "--gguf", path])
        #expect(result.status != 0)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(message.contains("architecture 'mamba' is not supported") && !message.contains("\n"), "\(message)")
        #expect(try study.assay(["model", "list", "--json"]).stdout.contains("\"m\"") == false)
    }
}
