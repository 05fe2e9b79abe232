import GGUF

// The engine's part of the fuzz target: what a validated GGUF file's metadata and tensor table
// become in the engine. The architecture's hyperparameters (ModelConfiguration), the tokenizer
// (TokenVocabulary, Tokenizer), the chat format, and the tensor layout each architecture needs
// (EngineModel: separate or fused Q/K/V and gate/up, biases, Q/K norms, post norms, RoPE
// factors), then one forward pass. Each must refuse the file with an AssayEngineError or run;
// a trap, an ASan report or a hang is a finding.
@testable import AssayEngine

func checkEngine(_ file: GGUFFile) {
    guard let vocabulary = try? TokenVocabulary(metadata: file.metadata, source: "fuzz"),
        let tokenizer = try? Tokenizer(vocabulary: vocabulary)
    else { return }
    let ids = tokenizer.encode("Hi wörld 123 <s>\n\t'll", addSpecial: true, parseSpecial: true)
    _ = tokenizer.decode(ids)
    _ = tokenizer.encode("x y", addSpecial: false, parseSpecial: false)
    guard (try? ModelConfiguration(metadata: file.metadata, source: "fuzz")) != nil,
        let model = try? EngineModel(file: file, source: "fuzz")
    else { return }
    _ = try? model.chatTemplate.render(user: "Hi", system: "Be brief.")
    let config = model.configuration
    let pool = WorkerPool(threadCount: 1)
    let context = min(config.contextLength, 16)
    let forward = ForwardPass(model: model, pool: pool, contextLength: context, batchCapacity: 4)
    let cache = KVCache(layerCount: config.layerCount, rowLength: config.keyValueLength, maximumLength: context)
    let prompt = ids.isEmpty ? [0] : Array(ids.prefix(3))
    // A batch, then a lone token: both attention orders, and the sliding window past its start.
    _ = try? forward.evaluate(prompt, cache: cache, logitIndices: [prompt.count - 1])
    _ = try? forward.evaluate([prompt[0]], cache: cache, logitIndices: [0])
}
