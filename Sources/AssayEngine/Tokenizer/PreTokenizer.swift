import AssaySupport

/// Splits text into the words that byte-level BPE merges within, as `tokenizer.ggml.pre` names.
///
/// Each variant is a sequence of split rules, applied one after another to every fragment, like the
/// regex lists of llama.cpp (src/llama-vocab.cpp); the rules are hand-written scanners rather than
/// regular expressions so that they are fast and match llama.cpp's Unicode classes exactly.
enum PreTokenizer: Sendable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// Every digit alone (`\p{N}`), then the GPT-2 rules (smollm, starcoder, refact, ...).
    case digitsThenGPT2
    /// Llama 3: case-insensitive contractions, letters with one leading non-letter, numbers of up
    /// to `maxDigits` digits (3 for llama3, 1 for qwen2), punctuation with trailing newlines.
    case llama3(maxDigits: Int)
    /// llama.cpp's fallback: punctuation runs, GPT-2, digit runs, then groups of three ASCII digits.
    case fallback

    init(name: String) throws {
        switch name {
        case "gpt-2", "gpt2", "phi-2", "roberta-bpe", "mpt", "olmo", "jais":
            self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b":
            self = .digitsThenGPT2
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe", "chatglm-bpe":
            self = .llama3(maxDigits: 3)
        case "qwen2", "deepseek-r1-qwen", "stablelm2", "megrez":
            self = .llama3(maxDigits: 1)
        case "default", "":
            self = .fallback
        default:
            throw AssayError(
                "tokenizer.ggml.pre '\(name)' is not supported; supported: smollm, gpt2, "
                    + "llama3 (llama-bpe), qwen2, default and their aliases")
        }
    }

    /// Whether a word that is itself a token skips the merges (llama.cpp's `ignore_merges`).
    var usesWholeWordTokens: Bool {
        if case .llama3(let digits) = self { return digits == 3 }
        return false
    }

    /// The words of `text`, as ranges of scalar indices.
    func split(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var fragments = text.isEmpty ? [] : [0..<text.count]
        let classes = text.map(CharacterClass.init)
        let scanner = Scanner(text: text, classes: classes)
        switch self {
        case .gpt2:
            fragments = scanner.apply(fragments, scanner.gpt2Word)
        case .digitsThenGPT2:
            fragments = scanner.isolate(fragments, minRun: 1, maxRun: 1) { classes[$0].isNumber }
            fragments = scanner.apply(fragments, scanner.gpt2Word)
        case .llama3(let maxDigits):
            fragments = scanner.apply(fragments) { scanner.llama3Word(at: $0, end: $1, maxDigits: maxDigits) }
        case .fallback:
            let punctuation: Set<Unicode.Scalar> = ["$", "+", "<", "=", ">", "^", "~", "|"]
            fragments = scanner.isolate(fragments, minRun: 1, maxRun: .max) {
                classes[$0].isPunctuation || punctuation.contains(text[$0])
            }
            fragments = scanner.apply(fragments, scanner.gpt2Word)
            fragments = scanner.isolate(fragments, minRun: 1, maxRun: .max) { classes[$0].isNumber }
            fragments = scanner.isolate(fragments, minRun: 3, maxRun: 3) { ("0"..."9").contains(text[$0]) }
        }
        return fragments
    }
}

/// The Unicode classes the split rules test.
private struct CharacterClass {
    let isLetter: Bool
    let isNumber: Bool
    let isWhitespace: Bool
    let isPunctuation: Bool

    init(_ scalar: Unicode.Scalar) {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            (isLetter, isNumber, isPunctuation) = (true, false, false)
        case .decimalNumber, .letterNumber, .otherNumber:
            (isLetter, isNumber, isPunctuation) = (false, true, false)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            (isLetter, isNumber, isPunctuation) = (false, false, true)
        default:
            (isLetter, isNumber, isPunctuation) = (false, false, false)
        }
        isWhitespace = properties.isWhitespace
    }

    var isOther: Bool { !isLetter && !isNumber && !isWhitespace }
}

private struct Scanner {
    let text: [Unicode.Scalar]
    let classes: [CharacterClass]

    /// Splits every fragment into consecutive words; `word(start, end)` gives the end of the word at start.
    func apply(_ fragments: [Range<Int>], _ word: (Int, Int) -> Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for fragment in fragments {
            var position = fragment.lowerBound
            while position < fragment.upperBound {
                let end = max(word(position, fragment.upperBound), position + 1)
                result.append(position..<end)
                position = end
            }
        }
        return result
    }

    /// Makes runs of `minRun...maxRun` matching scalars their own fragments, keeping the text between them.
    func isolate(_ fragments: [Range<Int>], minRun: Int, maxRun: Int, _ matches: (Int) -> Bool) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for fragment in fragments {
            var gapStart = fragment.lowerBound
            var position = fragment.lowerBound
            while position < fragment.upperBound {
                var runEnd = position
                while runEnd < fragment.upperBound && runEnd - position < maxRun && matches(runEnd) { runEnd += 1 }
                if runEnd - position >= minRun {
                    if gapStart < position { result.append(gapStart..<position) }
                    result.append(position..<runEnd)
                    position = runEnd
                    gapStart = runEnd
                } else {
                    position += 1
                }
            }
            if gapStart < fragment.upperBound { result.append(gapStart..<fragment.upperBound) }
        }
        return result
    }

    private func isContraction(at position: Int, end: Int, caseInsensitive: Bool) -> Int? {
        guard text[position] == "'", position + 1 < end else { return nil }
        func lower(_ index: Int) -> Unicode.Scalar? {
            guard index < end else { return nil }
            let scalar = text[index]
            return caseInsensitive && ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) : scalar
        }
        let next = lower(position + 1)
        if next == "s" || next == "t" || next == "m" || next == "d" { return position + 2 }
        let pair = (next, lower(position + 2))
        if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return position + 3 }
        return nil
    }

    /// Whitespace rules shared by both families: `\s+(?!\S)` leaves the last space for the next word.
    private func whitespaceEnd(at position: Int, end: Int) -> Int {
        var run = position
        while run < end && classes[run].isWhitespace { run += 1 }
        if run - position > 1 && run < end { return run - 1 }
        return run > position ? run : position + 1
    }

    func gpt2Word(at position: Int, end: Int) -> Int {
        if let contraction = isContraction(at: position, end: end, caseInsensitive: false) { return contraction }
        let start = text[position] == " " && position + 1 < end ? position + 1 : position
        let first = classes[start]
        if first.isLetter || first.isNumber || first.isOther {
            var run = start + 1
            if first.isLetter {
                while run < end && classes[run].isLetter { run += 1 }
            } else if first.isNumber {
                while run < end && classes[run].isNumber { run += 1 }
            } else {
                while run < end && classes[run].isOther { run += 1 }
            }
            return run
        }
        return whitespaceEnd(at: position, end: end)
    }

    func llama3Word(at position: Int, end: Int, maxDigits: Int) -> Int {
        if let contraction = isContraction(at: position, end: end, caseInsensitive: true) { return contraction }
        let scalar = text[position]
        let isNewline = scalar == "\r" || scalar == "\n"
        let current = classes[position]
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if !isNewline && !current.isNumber
            && (current.isLetter || (position + 1 < end && classes[position + 1].isLetter))
        {
            var run = position + 1
            while run < end && classes[run].isLetter { run += 1 }
            return run
        }
        // \p{N}{1,maxDigits}
        if current.isNumber {
            var run = position
            while run < end && run - position < maxDigits && classes[run].isNumber { run += 1 }
            return run
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        let start = scalar == " " && position + 1 < end ? position + 1 : position
        if classes[start].isOther {
            var run = start
            while run < end && classes[run].isOther { run += 1 }
            while run < end && (text[run] == "\r" || text[run] == "\n") { run += 1 }
            return run
        }
        // \s*[\r\n]+
        var run = position
        var lastNewlineEnd: Int?
        while run < end && classes[run].isWhitespace {
            if text[run] == "\r" || text[run] == "\n" { lastNewlineEnd = run + 1 }
            run += 1
        }
        if let lastNewlineEnd { return lastNewlineEnd }
        return whitespaceEnd(at: position, end: end)
    }
}
