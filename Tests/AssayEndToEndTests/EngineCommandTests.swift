import AssayTestSupport
import Foundation
import GGUF
import Testing

/// `assay tokenize`, `generate` and `bench engine` on the SmolLM2 model, and their errors.
@Suite struct EngineCommandTests {
    static let model = SharedFiles.smolLM2?.path ?? ""

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func tokenizeParsesSpecialTokensUnlessTold() throws {
        let text = "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n"  // golden case chatml_turn
        let special = try AssayBinary.run(["tokenize", "--model", Self.model, "--json", text])
        #expect(special.status == 0, "\(special.stderr)")
        #expect(try Self.json(special.stdout)["ids"] as? [Int] == [1, 4093, 198, 26843, 665, 2, 198, 1, 520, 9531, 198])
        let plain = try AssayBinary.run(["tokenize", "--model", Self.model, "--json", "--no-special", text])
        let ids = try #require(try Self.json(plain.stdout)["ids"] as? [Int])
        #expect(ids.count > 11 && !ids.contains(1))
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func generateReportsIDsTextAndTimings() throws {
        let result = try AssayBinary.run([
            "generate", "--model", Self.model, "--chat", "--prompt", "Name a color.",
            "--max-tokens", "4", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        let ids = try #require(output["ids"] as? [Int])
        #expect(!ids.isEmpty && ids.count <= 4)
        #expect((output["text"] as? String)?.isEmpty == false)
        #expect(output["prompt_tokens"] as? Int ?? 0 > 20)  // includes SmolLM2's default system message
        #expect(output["prefill_seconds"] as? Double ?? 0 > 0)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func benchEngineReportsMedians() throws {
        let result = try AssayBinary.run([
            "bench", "engine", "--model", Self.model, "--threads", "2",
            "--prompt-tokens", "8", "--gen-tokens", "4", "--repetitions", "1", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        #expect(output["prefill_tok_s"] as? Double ?? 0 > 0)
        #expect(output["decode_tok_s"] as? Double ?? 0 > 0)
        #expect(["avx512-vnni", "avx2", "portable"].contains(output["kernel_level"] as? String ?? ""))
        #expect(!(output["cpu"] as? String ?? "").isEmpty)
        let text = try AssayBinary.run([
            "bench", "engine", "--model", Self.model, "--prompt-tokens", "8",
            "--gen-tokens", "4", "--repetitions", "1",
        ])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("kernels \(output["kernel_level"] as? String ?? "?") on "), "\(text.stdout)")
    }

    /// A random-weight model at Llama-3.2-1B's layer shapes in the Q4_K_M mix (one layer here; the
    /// benchmark uses all 16), with SmolLM2's tokenizer: it loads, runs, and has llama.cpp's types.
    @Test(.enabled(if: SharedFiles.smolLM2 != nil, "needs the SmolLM2 model file (its tokenizer)"))
    func syntheticModelAtLlama1BShapesRuns() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("llama-1b-shapes.gguf")
        let made = try AssayBinary.run(["bench", "synthetic-model", path, "--vocabulary", Self.model, "--layers", "1"])
        #expect(made.status == 0, "\(made.stderr)")
        let file = try GGUFFile(contentsOf: URL(fileURLWithPath: path))
        #expect(file.metadata["llama.embedding_length"]?.int == 2048)
        #expect(file.metadata["llama.attention.head_count_kv"]?.int == 8)
        #expect(file.tensor(named: "blk.0.attn_q.weight")?.type == .q4_K)
        #expect(file.tensor(named: "blk.0.ffn_gate.weight")?.dimensions == [2048, 8192])
        #expect(file.tensor(named: "blk.0.ffn_down.weight")?.type == .q6_K)  // the last eighth of the layers
        #expect(file.tensor(named: "token_embd.weight")?.type == .q6_K)
        let bench = try AssayBinary.run([
            "bench", "engine", "--model", path, "--prompt-tokens", "9", "--gen-tokens", "2",
            "--repetitions", "1", "--json",
        ])
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(try Self.json(bench.stdout)["decode_tok_s"] as? Double ?? 0 > 0)
        let generated = try AssayBinary.run(["generate", "--model", path, "--prompt", "Hello", "--max-tokens", "3", "--json"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect((try Self.json(generated.stdout)["ids"] as? [Int])?.count == 3)
    }

    /// A stand-in for llama-bench: records its arguments (a line per run), logs 300 KB to stderr as the real one logs
    /// every tensor (more than a pipe holds), prints `output` and exits with `status`.
    static func fakeLlamaBench(
        in folder: TemporaryFolder, name: String = "llama-bench", output: String,
        status: Int = 0
    ) throws -> String {
        let path = try folder.write(
            name,
            """
            #!/bin/sh
            echo "$@" >> "\(folder.path("arguments"))"
            head -c 300000 /dev/zero | tr '\\0' 'x' >&2
            echo >&2
            echo "error: failed to load model" >&2
            cat <<'JSON'
            \(output)
            JSON
            exit \(status)
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func benchEngineReportsTheReferenceMediansMeasuredWithTheSameSettings() throws {
        let folder = try TemporaryFolder()
        // Each run reports one sample, as llama-bench does with -r 1; the fake's three runs give the same.
        let reference = try Self.fakeLlamaBench(
            in: folder,
            output: """
                [{"n_prompt": 8, "n_gen": 0, "avg_ts": 190.0, "samples_ts": [300.0, 100.0, 200.0]},
                 {"n_prompt": 0, "n_gen": 4, "avg_ts": 61.0, "samples_ts": [70.0, 60.0, 50.0]}]
                """)
        let arguments = [
            "bench", "engine", "--model", Self.model, "--threads", "2", "--prompt-tokens", "8",
            "--gen-tokens", "4", "--repetitions", "3", "--reference", reference,
        ]
        let result = try AssayBinary.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try Self.json(result.stdout)
        #expect(output["reference_prefill_tok_s"] as? Double == 200)
        #expect(output["reference_decode_tok_s"] as? Double == 60)
        #expect((output["reference_prefill_samples"] as? [Double])?.count == 9)
        // One llama-bench run of one repetition after each of Assay's three.
        let passed = try String(contentsOfFile: folder.path("arguments"), encoding: .utf8)
        #expect(passed.split(separator: "\n") == Array(repeating: "-m \(Self.model) -t 2 -p 8 -n 4 -r 1 -o json", count: 3))
        let table = try AssayBinary.run(arguments)
        #expect(table.stdout.contains("llama.cpp tok/s") && table.stdout.contains("ratio"), "\(table.stdout)")
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs the SmolLM2 model file"))
    func benchEngineRejectsAReferenceThatIsNotLlamaBench() throws {
        let folder = try TemporaryFolder()
        let base = ["bench", "engine", "--model", Self.model, "--prompt-tokens", "4", "--gen-tokens", "2", "--repetitions", "1"]
        for (reference, message) in [
            (try Self.fakeLlamaBench(in: folder, name: "table", output: "pp512 | 281 t/s"), "is not llama-bench JSON"),
            (try Self.fakeLlamaBench(in: folder, name: "empty", output: "[]"), "has no pp4 result"),
            (
                try Self.fakeLlamaBench(in: folder, name: "failing", output: "", status: 1),
                "exited with status 1: error: failed to load model"
            ),
            (try folder.write("plain-file", "not a program"), "not an executable file"),
        ] {
            let result = try AssayBinary.run(base + ["--reference", reference])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        }
    }

    @Test func unsupportedArchitectureAndMissingModelGiveOneLineErrors() throws {
        let folder = try TemporaryFolder()
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("gemma2"))
        let path = folder.path("gemma.gguf")
        try writer.write(to: URL(fileURLWithPath: path))
        let unsupported = try AssayBinary.run(["generate", "--model", path, "--prompt", "Hi"])
        #expect(unsupported.status != 0)
        #expect(unsupported.stderr.contains("architecture 'gemma2' is not supported"))
        // A missing file is reported as one whether or not the study has models registered.
        let study = folder.path("study.sqlite")
        for registered in [false, true] {
            if registered {
                let added = try AssayBinary.run([
                    "model", "add", "server", "--openai", "m", "--base-url", "http://127.0.0.1:9/v1", "--db", study,
                ])
                #expect(added.status == 0, "\(added.stderr)")
            }
            let missing = try AssayBinary.run(["tokenize", "--model", folder.path("none.gguf"), "--db", study, "Hi"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("model file '\(folder.path("none.gguf"))' not found"), "\(missing.stderr)")
            #expect(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        }
    }
}
