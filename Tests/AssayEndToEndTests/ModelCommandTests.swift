import AssayTestSupport
import Foundation
import Testing

/// `assay model add | list | fetch`.
@Suite(.serialized)
struct ModelCommandTests {
    @Test func addingServersAndListingThem() throws {
        let study = try StudyFolder()
        let ollama = try study.assay([
            "model", "add", "llama-q4", "--ollama", "llama3.2:1b-instruct-q4_K_M", "--host", "http://127.0.0.1:11434",
        ])
        #expect(ollama.status == 0, "\(ollama.stderr)")
        #expect(ollama.stdout.contains("Registered model 'llama-q4': ollama Q4_K_M"))
        try study.assay([
            "model", "add", "vllm", "--openai", "qwen2.5", "--base-url", "http://127.0.0.1:8000/v1", "--api-key-env", "VLLM_KEY",
        ])
        let again = try study.assay([
            "model", "add", "llama-q4", "--ollama", "llama3.2:1b-instruct-q4_K_M", "--host", "http://127.0.0.1:11434",
        ])
        #expect(again.stdout.contains("already registered with this definition"))
        let clash = try study.assay(["model", "add", "llama-q4", "--ollama", "other"])
        #expect(clash.status != 0)
        #expect(clash.stderr.contains("a model named 'llama-q4' already exists (ollama llama3.2:1b-instruct-q4_K_M); choose another name"))

        let list = try study.assay(["model", "list", "--json"])
        let models = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["llama-q4", "vllm"])
        #expect(models[1]["api_key_env"] as? String == "VLLM_KEY")
        #expect(models[1]["host"] as? String == "http://127.0.0.1:8000/v1")
    }

    @Test(arguments: [
        (["model", "add", "x"], "give exactly one of --gguf PATH, --ollama TAG or --openai MODEL"),
        (["model", "add", "x", "--openai", "m"], "--openai needs --base-url"),
        (["model", "add", "x", "--ollama", "m", "--host", "localhost:11434"], "--host 'localhost:11434' is not an http(s) URL"),
        (["model", "add", "x", "--gguf", "/nonexistent/model.gguf"], "/nonexistent/model.gguf: no such file"),
    ])
    func badModelDefinitionsGiveOneLine(arguments: [String], expected: String) throws {
        let study = try StudyFolder()
        let result = try study.assay(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func aFileThatIsNotGGUFIsRefusedWithItsOffset() throws {
        let study = try StudyFolder()
        let path = try study.folder.write("fake.gguf", "not a gguf file at all")
        let result = try study.assay(["model", "add", "fake", "--gguf", path])
        #expect(result.status != 0)
        #expect(
            result.stderr
                == "Error: \(path): invalid GGUF at byte 0: the file starts with 'not ', not the 'GGUF' magic; it is not a GGUF model file; pass a valid GGUF model file\n"
        )
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2 (assay model fetch smollm2-135m)"))
    func aGGUFFileIsReadForItsQuantizationAndParameterCount() throws {
        let model = try #require(SharedFiles.smolLM2)
        let study = try StudyFolder()
        let add = try study.assay(["model", "add", "smol", "--gguf", model.path, "--json"])
        #expect(add.status == 0, "\(add.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(add.stdout.utf8)) as? [String: Any])
        #expect(record["backend"] as? String == "embedded")
        #expect(record["architecture"] as? String == "llama")
        #expect(record["quantization"] as? String == "Q4_1")
        #expect(record["file_sha256"] as? String == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        #expect((record["parameter_count"] as? Int).map { (134_000_000...135_000_000).contains($0) } == true)
    }

    @Test(.enabled(if: SharedFiles.modelTestsEnabled, "needs SmolLM2 in the cache"))
    func fetchReusesAVerifiedCachedFile() throws {
        let model = try #require(SharedFiles.smolLM2)
        let study = try StudyFolder()
        let cache = study.folder.url.appendingPathComponent("cache")
        let models = cache.appendingPathComponent("assay/models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: model, to: models.appendingPathComponent(model.lastPathComponent))
        // No python3 on PATH: a download would fail, so success proves the cached file was reused.
        let result = try study.assay(
            ["model", "fetch", "smollm2-135m"], environment: ["XDG_CACHE_HOME": cache.path, "PATH": "/nonexistent"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("the cached file has the expected sha256; nothing to download"))
        #expect(result.stdout.contains("Registered model 'smollm2-135m': embedded Q4_1"))
    }

    @Test func fetchWithoutPythonSaysHowToRegisterALocalFile() throws {
        let study = try StudyFolder()
        let cache = study.folder.url.appendingPathComponent("cache")
        let result = try study.assay(
            ["model", "fetch", "smollm2-135m"], environment: ["XDG_CACHE_HOME": cache.path, "PATH": "/nonexistent"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("python3 is not installed or not on PATH"))
        #expect(result.stderr.contains("assay model add smollm2-135m --gguf PATH"))
        let unknown = try study.assay(["model", "fetch", "gpt-5"])
        #expect(unknown.stderr.contains("no known model 'gpt-5' (known: smollm2-135m, gemma3-270m)"))
    }
}
