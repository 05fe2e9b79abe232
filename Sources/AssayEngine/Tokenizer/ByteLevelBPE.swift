import AssaySupport

/// GPT-2 byte-level BPE: pre-tokenized words, spelled in the byte alphabet, merged by merge rank.
struct ByteLevelBPE: Sendable {
    private struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    private let preTokenizer: PreTokenizer
    private let idForText: [String: Int]
    /// The token of each single byte, when the vocabulary has one.
    private let byteTokens: [Int?]
    /// Merges keyed by the pair of token ids they join.
    private let merges: [UInt64: Merge]

    init(vocabulary: TokenVocabulary, idForText: [String: Int]) throws {
        preTokenizer = try PreTokenizer(name: vocabulary.preTokenizerName)
        self.idForText = idForText
        byteTokens = ByteLevelAlphabet.scalarForByte.map { idForText[String($0)] }
        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(vocabulary.merges.count)
        for (rank, merge) in vocabulary.merges.enumerated() {
            let parts = merge.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw AssayError("tokenizer.ggml.merges[\(rank)] '\(merge)' is not two tokens separated by a space")
            }
            // A merge whose parts or result are not tokens can never apply to token ids; skip it.
            guard let left = idForText[String(parts[0])], let right = idForText[String(parts[1])],
                let result = idForText[String(parts[0]) + String(parts[1])]
            else { continue }
            let key = Self.pairKey(left, right)
            if merges[key] == nil { merges[key] = Merge(rank: Int32(rank), result: Int32(result)) }
        }
        self.merges = merges
    }

    private static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }

    /// Appends the tokens of a run of ordinary text (no special tokens) to `ids`.
    func encode(_ text: String, into ids: inout [Int]) {
        let scalars = Array(text.unicodeScalars)
        for word in preTokenizer.split(scalars) {
            var bytes: [UInt8] = []
            for scalar in scalars[word] { bytes.append(contentsOf: String(scalar).utf8) }
            if preTokenizer.usesWholeWordTokens, let id = idForText[ByteLevelAlphabet.encode(bytes)] {
                ids.append(id)
                continue
            }
            encodeWord(bytes, into: &ids)
        }
    }

    private func encodeWord(_ bytes: [UInt8], into ids: inout [Int]) {
        var symbols = bytes.compactMap { byteTokens[Int($0)] }
        // Repeatedly join the adjacent pair with the lowest merge rank (leftmost on ties).
        while symbols.count > 1 {
            var best: (index: Int, merge: Merge)?
            for index in 0..<(symbols.count - 1) {
                if let merge = merges[Self.pairKey(symbols[index], symbols[index + 1])],
                    merge.rank < best?.merge.rank ?? .max
                {
                    best = (index, merge)
                }
            }
            guard let best else { break }
            symbols[best.index] = Int(best.merge.result)
            symbols.remove(at: best.index + 1)
        }
        ids.append(contentsOf: symbols)
    }
}
