/// The Python program that checks one completion of a code problem, assembled as HumanEval does:
/// the problem's prompt, the completion, the tests, then `check(entry_point)`.
///
/// A chat model usually answers with a fenced ``` block holding the whole function; that block is
/// then appended after the prompt (its definition replaces the prompt's stub). A plain completion
/// continues the prompt and is cut at the first stop sequence, as HumanEval cuts it.
public struct CodeProgram: Sendable, Equatable {
    /// The code taken from the completion: a fenced block's contents, or the cut completion.
    public let body: String
    public let source: String
    /// What the completion says besides the code: the text around a fenced block (what a reviewer
    /// checks the code against); empty for a plain completion.
    public let prose: String

    public init(prompt: String, completion: String, test: String, entryPoint: String, stop: [String]) {
        if let block = Self.firstFencedBlock(in: completion) {
            body = block.code
            prose = String(completion[..<block.range.lowerBound]) + "\n" + String(completion[block.range.upperBound...])
            source = prompt + "\n" + block.code + "\n\n" + test + "\n\ncheck(\(entryPoint))\n"
        } else {
            body = Self.cut(completion, at: stop)
            prose = ""
            source = prompt + body + "\n\n" + test + "\n\ncheck(\(entryPoint))\n"
        }
    }

    /// The text between the first ``` line (with or without a language) and the next ```, and
    /// where the whole block lies (its fences included).
    static func firstFencedBlock(in text: String) -> (code: String, range: Range<String.Index>)? {
        guard let open = text.range(of: "```") else { return nil }
        let afterOpen = text[open.upperBound...]
        guard let lineEnd = afterOpen.firstIndex(of: "\n") else { return nil }
        let contents = afterOpen[afterOpen.index(after: lineEnd)...]
        let close = contents.range(of: "```")
        let code = String(contents[..<(close?.lowerBound ?? contents.endIndex)])
        return (code, open.lowerBound..<(close?.upperBound ?? text.endIndex))
    }

    static func cut(_ completion: String, at stops: [String]) -> String {
        let end = stops.compactMap { completion.range(of: $0)?.lowerBound }.min() ?? completion.endIndex
        return String(completion[..<end])
    }
}
