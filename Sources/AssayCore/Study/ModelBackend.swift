/// How a registered model is run.
public enum ModelBackend: String, Codable, Sendable, CaseIterable {
    /// Assay's own GGUF engine, in-process.
    case embedded
    case ollama
    /// Any OpenAI-compatible `/v1/chat/completions` server (llama.cpp server, vLLM, LM Studio).
    case openai
    /// Only predictions made elsewhere; cannot be run.
    case imported
}
