import Foundation

/// SentencePiece-style BPE (`tokenizer.ggml.model = llama`): spaces become "▁", adjacent pieces merge
/// while the joined text is a token, highest score first; characters without a token fall back to
/// their bytes (`<0x41>`).
struct SentencePieceBPE: Sendable {
    static let spaceMarker = "\u{2581}"

    private let idForText: [String: Int]
    private let scores: [Float]
    private let byteTokens: [Int?]
    private let unknownID: Int?
    private let addSpacePrefix: Bool

    init(vocabulary: TokenVocabulary, idForText: [String: Int]) {
        self.idForText = idForText
        scores = vocabulary.scores
        byteTokens = (0..<256).map { byte in
            idForText["<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">"]
        }
        unknownID = vocabulary.unknownID
        addSpacePrefix = vocabulary.addSpacePrefix
    }

    /// Appends the tokens of a run of ordinary text; `atTextStart` says whether the space prefix applies.
    func encode(_ text: String, atTextStart: Bool, into ids: inout [Int]) {
        let escaped =
            (addSpacePrefix && atTextStart ? Self.spaceMarker : "")
            + text.replacingOccurrences(of: " ", with: Self.spaceMarker)
        var pieces = escaped.unicodeScalars.map { String($0) }
        while pieces.count > 1 {
            var best: (index: Int, score: Float)?
            for index in 0..<(pieces.count - 1) {
                if let id = idForText[pieces[index] + pieces[index + 1]], scores[id] > best?.score ?? -.infinity {
                    best = (index, scores[id])
                }
            }
            guard let best else { break }
            pieces[best.index] += pieces[best.index + 1]
            pieces.remove(at: best.index + 1)
        }
        for piece in pieces {
            if let id = idForText[piece] {
                ids.append(id)
                continue
            }
            for byte in piece.utf8 {
                if let id = byteTokens[Int(byte)] ?? unknownID { ids.append(id) }
            }
        }
    }

    /// The bytes of one ordinary token: "▁" is a space, `<0xAB>` one byte.
    static func bytes(ofToken text: String) -> [UInt8] {
        if text.count == 6, text.hasPrefix("<0x"), text.hasSuffix(">"),
            let byte = UInt8(text.dropFirst(3).dropLast(), radix: 16)
        {
            return [byte]
        }
        return Array(text.replacingOccurrences(of: spaceMarker, with: " ").utf8)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
