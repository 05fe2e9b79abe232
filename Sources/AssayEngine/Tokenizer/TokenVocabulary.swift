import AssaySupport
import GGUF

/// The tokenizer part of a GGUF file's metadata (`tokenizer.ggml.*`), checked for consistency.
public struct TokenVocabulary: Sendable {
    /// How token texts are segmented: `tokenizer.ggml.model`.
    public enum Model: String, Sendable {
        /// GPT-2 byte-level BPE with merge ranks (`gpt2`).
        case byteLevelBPE = "gpt2"
        /// SentencePiece-style BPE with scores and byte fallback (`llama`).
        case sentencePiece = "llama"
    }

    /// The GGUF token types (`tokenizer.ggml.token_type`).
    public enum Kind: Int, Sendable {
        case normal = 1
        case unknown = 2
        case control = 3
        case userDefined = 4
        case unused = 5
        case byte = 6
    }

    public let model: Model
    /// `tokenizer.ggml.pre`: the pre-tokenizer name of byte-level BPE vocabularies.
    public let preTokenizerName: String
    public let tokens: [String]
    public let kinds: [Kind]
    public let scores: [Float]
    public let merges: [String]
    public let bosID: Int?
    public let eosID: Int?
    public let unknownID: Int?
    /// Ids that end a turn or the text (EOS, EOT, and end-of-turn tokens of the chat formats).
    public let endOfGenerationIDs: Set<Int>
    public let addBOS: Bool
    public let addEOS: Bool
    public let addSpacePrefix: Bool

    public init(
        model: Model, preTokenizerName: String = "default", tokens: [String], kinds: [Kind]? = nil,
        scores: [Float]? = nil, merges: [String] = [], bosID: Int? = nil, eosID: Int? = nil,
        unknownID: Int? = nil, endOfTurnID: Int? = nil, addBOS: Bool? = nil, addEOS: Bool = false,
        addSpacePrefix: Bool? = nil
    ) {
        self.model = model
        self.preTokenizerName = preTokenizerName
        self.tokens = tokens
        self.kinds = kinds ?? Array(repeating: .normal, count: tokens.count)
        self.scores = scores ?? Array(repeating: 0, count: tokens.count)
        self.merges = merges
        let valid = { (id: Int?) in id.flatMap { $0 >= 0 && $0 < tokens.count ? $0 : nil } }
        self.bosID = valid(bosID)
        self.eosID = valid(eosID)
        self.unknownID = valid(unknownID)
        // llama.cpp adds BOS by default for SentencePiece and for the llama3 pre-tokenizer.
        self.addBOS = addBOS ?? (model == .sentencePiece || ["llama3", "llama-v3", "llama-bpe"].contains(preTokenizerName))
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix ?? (model == .sentencePiece)
        var endIDs = Set([valid(eosID), valid(endOfTurnID)].compactMap { $0 })
        let endTexts: Set<String> = ["<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|endoftext|>", "<end_of_turn>", "</s>"]
        for (id, text) in tokens.enumerated() where endTexts.contains(text) && self.kinds[id] != .normal {
            endIDs.insert(id)
        }
        endOfGenerationIDs = endIDs
    }

    /// Reads `tokenizer.ggml.*` from GGUF metadata; `source` names the file in errors.
    public init(metadata: [String: GGUFValue], source: String) throws {
        func key(_ name: String) -> GGUFValue? { metadata["tokenizer.ggml." + name] }
        guard let modelName = key("model")?.string else {
            throw AssayError("\(source): no tokenizer.ggml.model in the metadata; the file carries no tokenizer")
        }
        guard let model = Model(rawValue: modelName) else {
            throw AssayError(
                "\(source): tokenizer.ggml.model '\(modelName)' is not supported; "
                    + "supported: gpt2 (byte-level BPE), llama (SentencePiece)")
        }
        guard let tokens = key("tokens")?.strings, !tokens.isEmpty else {
            throw AssayError("\(source): tokenizer.ggml.tokens is missing or not a list of strings")
        }
        var kinds: [Kind]?
        if let raw = key("token_type") {
            guard let ints = raw.ints, ints.count == tokens.count else {
                throw AssayError("\(source): tokenizer.ggml.token_type must list one integer per token (\(tokens.count))")
            }
            kinds = ints.map { Kind(rawValue: $0) ?? .normal }
        }
        var scores: [Float]?
        if let raw = key("scores") {
            guard let floats = raw.floats, floats.count == tokens.count else {
                throw AssayError("\(source): tokenizer.ggml.scores must list one number per token (\(tokens.count))")
            }
            scores = floats
        }
        var merges: [String] = []
        if let raw = key("merges") {
            guard let strings = raw.strings else {
                throw AssayError("\(source): tokenizer.ggml.merges is not a list of strings")
            }
            merges = strings
        }
        if model == .byteLevelBPE && merges.isEmpty {
            throw AssayError("\(source): a gpt2 tokenizer needs tokenizer.ggml.merges, which is missing or empty")
        }
        self.init(
            model: model, preTokenizerName: key("pre")?.string ?? "default", tokens: tokens, kinds: kinds,
            scores: scores, merges: merges, bosID: key("bos_token_id")?.int, eosID: key("eos_token_id")?.int,
            unknownID: key("unknown_token_id")?.int, endOfTurnID: key("eot_token_id")?.int,
            addBOS: key("add_bos_token")?.bool, addEOS: key("add_eos_token")?.bool ?? false,
            addSpacePrefix: key("add_space_prefix")?.bool
        )
    }
}
