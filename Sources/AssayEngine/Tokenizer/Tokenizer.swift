import GGUF

/// Text to token ids and back, as the GGUF file's tokenizer metadata defines it (matching llama.cpp).
public final class Tokenizer: Sendable {
    public let vocabulary: TokenVocabulary
    private let segmenter: Segmenter
    /// Control and user-defined tokens, matched in text when special parsing is on, longest first.
    private let specialTokens: [(bytes: [UInt8], id: Int, kind: TokenVocabulary.Kind)]

    private enum Segmenter: Sendable {
        case byteLevel(ByteLevelBPE)
        case sentencePiece(SentencePieceBPE)
    }

    public init(vocabulary: TokenVocabulary) throws {
        self.vocabulary = vocabulary
        var idForText: [String: Int] = [:]
        idForText.reserveCapacity(vocabulary.tokens.count)
        for (id, text) in vocabulary.tokens.enumerated() where idForText[text] == nil { idForText[text] = id }
        switch vocabulary.model {
        case .byteLevelBPE:
            segmenter = .byteLevel(try ByteLevelBPE(vocabulary: vocabulary, idForText: idForText))
        case .sentencePiece:
            segmenter = .sentencePiece(SentencePieceBPE(vocabulary: vocabulary, idForText: idForText))
        }
        specialTokens = vocabulary.tokens.enumerated()
            .filter { [.control, .userDefined].contains(vocabulary.kinds[$0.offset]) && !$0.element.isEmpty }
            .map { (Array($0.element.utf8), $0.offset, vocabulary.kinds[$0.offset]) }
            .sorted { $0.bytes.count > $1.bytes.count }
    }

    public convenience init(file: GGUFFile, source: String = "model file") throws {
        try self.init(vocabulary: TokenVocabulary(metadata: file.metadata, source: source))
    }

    public var count: Int { vocabulary.tokens.count }

    /// The token ids of `text`. `addSpecial` adds BOS/EOS where the vocabulary asks for them;
    /// `parseSpecial` turns the text of control tokens (such as `<|im_start|>`) into their ids.
    public func encode(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = true) -> [Int] {
        var ids: [Int] = []
        if addSpecial && vocabulary.addBOS, let bos = vocabulary.bosID { ids.append(bos) }
        // SentencePiece prefixes a space to text at the start and after special tokens (as llama.cpp).
        var followsSpecial = true
        for fragment in partition(Array(text.utf8), parseSpecial: parseSpecial) {
            switch fragment {
            case .special(let id):
                ids.append(id)
                followsSpecial = true
            case .text(let bytes):
                let piece = String(decoding: bytes, as: UTF8.self)
                switch segmenter {
                case .byteLevel(let bpe): bpe.encode(piece, into: &ids)
                case .sentencePiece(let spm): spm.encode(piece, atTextStart: followsSpecial, into: &ids)
                }
                followsSpecial = false
            }
        }
        if addSpecial && vocabulary.addEOS, let eos = vocabulary.eosID { ids.append(eos) }
        return ids
    }

    /// The bytes token `id` stands for; control tokens give their text only when `includeSpecial`.
    public func bytes(of id: Int, includeSpecial: Bool = true) -> [UInt8] {
        guard id >= 0 && id < vocabulary.tokens.count else { return [] }
        let text = vocabulary.tokens[id]
        switch vocabulary.kinds[id] {
        case .control:
            return includeSpecial ? Array(text.utf8) : []
        case .userDefined, .unknown:
            return Array(text.utf8)
        case .unused:
            return []
        case .normal, .byte:
            switch segmenter {
            case .byteLevel: return ByteLevelAlphabet.decode(text) ?? Array(text.utf8)
            case .sentencePiece: return SentencePieceBPE.bytes(ofToken: text)
            }
        }
    }

    /// The text of `ids`; invalid UTF-8 (a token sequence cut inside a character) becomes U+FFFD.
    public func decode(_ ids: [Int], includeSpecial: Bool = true) -> String {
        var bytes: [UInt8] = []
        // The space SentencePiece prefixed to the text is not part of it.
        var stripSpace = vocabulary.model == .sentencePiece && vocabulary.addSpacePrefix
        for id in ids {
            var piece = self.bytes(of: id, includeSpecial: includeSpecial)
            if stripSpace && id >= 0 && id < vocabulary.kinds.count && vocabulary.kinds[id] == .normal {
                if piece.first == 0x20 { piece.removeFirst() }
                stripSpace = false
            }
            bytes.append(contentsOf: piece)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private enum Fragment {
        case text([UInt8])
        case special(Int)
    }

    /// Splits text at special-token texts (longest match at each position).
    private func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = []
        var textStart = 0
        var position = 0
        outer: while position < bytes.count {
            for special in specialTokens where parseSpecial || special.kind == .userDefined {
                let end = position + special.bytes.count
                if end <= bytes.count && bytes[position] == special.bytes[0]
                    && bytes[position..<end].elementsEqual(special.bytes)
                {
                    if textStart < position { fragments.append(.text(Array(bytes[textStart..<position]))) }
                    fragments.append(.special(special.id))
                    position = end
                    textStart = end
                    continue outer
                }
            }
            position += 1
        }
        if textStart < bytes.count { fragments.append(.text(Array(bytes[textStart..<bytes.count]))) }
        return fragments
    }
}
