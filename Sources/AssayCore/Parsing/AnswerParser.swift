import Foundation

/// Reads a label and its reasoning from what a model wrote, never guessing.
///
/// Rules, applied in order (labels and synonyms match whole words, case-insensitively):
/// 1. Markdown emphasis, headings and code marks (`*`, `_` pairs, `#`, backticks) are removed.
///    An empty answer is *unparsed*.
/// 2. A JSON object anywhere in the answer whose `sentiment`, `label`, `answer`, `classification`,
///    `prediction`, `class` or `category` value names one label gives that label; its
///    `reasoning`, `explanation`, `rationale`, `reason` or `justification` is the reasoning.
/// 3. Echoes of the answer format are ignored: two or more different labels joined only by `/`,
///    `|`, commas or "or" ("Positive/Negative/Neutral", "positive, negative, or neutral").
/// 4. Negated mentions are ignored: a label preceded, within three words of the same clause, by
///    not, no, never, neither, nor, without, hardly, than, instead or a word ending in n't
///    ("not negative", "rather than positive").
/// 5. An answer that opens with a label, possibly after cue words ("Sentiment:", "Answer -",
///    "The answer is", "**Label**:"), gives that label whatever follows ("Negative [reasoning]"),
///    unless another label follows within two words ("Positive and negative", "neutral to positive").
/// 6. Otherwise, labels mentioned within five words after a cue word (sentiment, answer, label,
///    classification, classified, classify, category, option, choice, verdict, prediction, overall)
///    or right before "sentiment" ("a positive sentiment"): one label -> that label; several
///    different ones -> *ambiguous*.
/// 7. Otherwise, every remaining mention: one label -> that label; several -> *ambiguous*;
///    none -> *unparsed*.
///
/// Single-letter labels (multiple choice A/B/C/D) match only as capital letters, and "A" or "I"
/// followed by a lower-case word is read as English, not as a label.
///
/// Reasoning (`AnswerParsingRules.ReasoningLocation`): with `after_label`, an answer that opens
/// with its label keeps the text after it (surrounding brackets and a "Reasoning:" cue removed);
/// any other answer keeps the whole text.
public struct AnswerParser: Sendable {
    public let labels: [String]
    public let rules: AnswerParsingRules
    /// Each matchable phrase (a label or synonym) as lower-cased words, with the label it means.
    private let phrases: [(words: [String], label: String, singleLetter: Bool)]

    static let cueWords: Set<String> = [
        "sentiment", "answer", "label", "classification", "classified", "classify", "category", "option", "choice",
        "verdict", "prediction", "overall",
    ]
    /// Words that may precede a label at the very start of an answer.
    static let leadingFillers: Set<String> = cueWords.union(["the", "is", "final", "my", "result", "as", "correct"])
    static let negators: Set<String> = ["not", "no", "never", "neither", "nor", "without", "hardly", "than", "instead"]
    static let clauseBreakers: Set<String> = ["but", "however", "yet", "so", "although", "though", "while", "whereas"]
    static let labelKeys = ["sentiment", "label", "answer", "classification", "prediction", "class", "category"]
    static let reasoningKeys = ["reasoning", "explanation", "rationale", "reason", "justification"]

    public init(labels: [String], rules: AnswerParsingRules = AnswerParsingRules()) {
        self.labels = labels
        self.rules = rules
        var phrases: [(words: [String], label: String, singleLetter: Bool)] = []
        for label in labels {
            for phrase in [label] + (rules.synonyms[label] ?? []) {
                let words = Self.tokens(in: phrase).map(\.lower)
                guard !words.isEmpty else { continue }
                phrases.append((words, label, words.count == 1 && words[0].count == 1))
            }
        }
        // Longer phrases first, so that "very positive" wins over "positive".
        self.phrases = phrases.sorted { $0.words.count > $1.words.count }
    }

    public func parse(_ answer: String) -> ParsedAnswer {
        let text = Self.stripMarkdown(answer).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return ParsedAnswer(label: nil, reasoning: nil, status: .unparsed)
        }
        if let fromJSON = parseJSON(in: text) {
            return fromJSON
        }
        let tokens = Self.tokens(in: text)
        let mentions = self.mentions(in: tokens, text: text).filter { !$0.negated && !$0.echoed }

        // Rule 5: the answer opens with a label.
        let firstContent = tokens.firstIndex { !Self.leadingFillers.contains($0.lower) } ?? tokens.count
        if let leadingIndex = mentions.firstIndex(where: { $0.firstToken == firstContent }),
            !opensWithSeveralLabels(mentions, from: leadingIndex)
        {
            let leading = mentions[leadingIndex]
            let rest = String(text[tokens[leading.lastToken].range.upperBound...])
            return ParsedAnswer(label: leading.label, reasoning: reasoning(whole: text, afterLabel: rest), status: .parsed)
        }
        // Rule 6: mentions right after a cue word.
        let cued = mentions.filter { mention in
            (max(0, mention.firstToken - 5)..<mention.firstToken).contains { Self.cueWords.contains(tokens[$0].lower) }
                || (mention.lastToken + 1 < tokens.count && tokens[mention.lastToken + 1].lower == "sentiment")
        }
        let decisive = cued.isEmpty ? mentions : cued
        let distinct = decisive.reduce(into: [String]()) { found, mention in
            if !found.contains(mention.label) { found.append(mention.label) }
        }
        switch distinct.count {
        case 0:
            return ParsedAnswer(label: nil, reasoning: reasoning(whole: text, afterLabel: nil), status: .unparsed)
        case 1:
            return ParsedAnswer(label: distinct[0], reasoning: reasoning(whole: text, afterLabel: nil), status: .parsed)
        default:
            return ParsedAnswer(
                label: nil, reasoning: reasoning(whole: text, afterLabel: nil), status: .ambiguous,
                candidates: distinct)
        }
    }

    /// "Positive and negative", "Neutral to positive": the opening label is one of several.
    private func opensWithSeveralLabels(_ mentions: [Mention], from index: Int) -> Bool {
        guard index + 1 < mentions.count else { return false }
        let next = mentions[index + 1]
        return next.label != mentions[index].label && next.firstToken - mentions[index].lastToken <= 2
    }

    // MARK: - Reasoning

    private func reasoning(whole: String, afterLabel rest: String?) -> String? {
        switch rules.reasoning {
        case .none:
            return nil
        case .wholeAnswer:
            return whole
        case .afterLabel:
            guard let rest else { return whole }
            let cleaned = Self.cleanReasoning(rest)
            return cleaned.isEmpty ? nil : cleaned
        }
    }

    /// Removes separators, a "Reasoning:" cue and one pair of surrounding brackets.
    public static func cleanReasoning(_ rest: String) -> String {
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "-–—:.,;)]}\"'"))
        var text = String(String.UnicodeScalarView(rest.unicodeScalars.drop { separators.contains($0) }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for cue in ["reasoning", "reason", "explanation", "because of", "because"] where text.lowercased().hasPrefix(cue + ":") {
            text = String(text.dropFirst(cue.count + 1)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if text.hasPrefix("["), text.hasSuffix("]") {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if text.hasPrefix("("), text.hasSuffix(")") {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }

    // MARK: - JSON answers

    private func parseJSON(in text: String) -> ParsedAnswer? {
        guard let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}"), open < close,
            let object = try? JSONSerialization.jsonObject(with: Data(text[open...close].utf8)) as? [String: Any]
        else { return nil }
        let lowered = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let nested = AnswerParser(labels: labels, rules: AnswerParsingRules(synonyms: rules.synonyms, reasoning: .none))
        for key in Self.labelKeys {
            guard let value = lowered[key] as? String else { continue }
            let inner = nested.parse(value)
            guard inner.status == .parsed, let label = inner.label else { continue }
            let explanation = Self.reasoningKeys.lazy.compactMap { lowered[$0] as? String }.first
            let reasoning: String? =
                switch rules.reasoning {
                case .none: nil
                case .wholeAnswer: text
                case .afterLabel: explanation
                }
            return ParsedAnswer(label: label, reasoning: reasoning, status: .parsed)
        }
        return nil
    }

    // MARK: - Mentions

    struct Token {
        let lower: String
        let original: Substring
        let range: Range<String.Index>
    }

    struct Mention {
        let label: String
        let firstToken: Int
        let lastToken: Int
        var negated = false
        var echoed = false
    }

    /// Words: runs of letters, digits and apostrophes.
    static func tokens(in text: String) -> [Token] {
        var tokens: [Token] = []
        var start: String.Index?
        var index = text.startIndex
        func close(at end: String.Index) {
            guard let begin = start else { return }
            let word = text[begin..<end]
            tokens.append(Token(lower: word.lowercased().replacingOccurrences(of: "’", with: "'"), original: word, range: begin..<end))
            start = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber || character == "'" || character == "’" {
                if start == nil { start = index }
            } else {
                close(at: index)
            }
            index = text.index(after: index)
        }
        close(at: text.endIndex)
        return tokens
    }

    private func mentions(in tokens: [Token], text: String) -> [Mention] {
        var found: [Mention] = []
        var index = 0
        while index < tokens.count {
            if let phrase = phrases.first(where: { matches($0, at: index, in: tokens) }) {
                found.append(Mention(label: phrase.label, firstToken: index, lastToken: index + phrase.words.count - 1))
                index += phrase.words.count
            } else {
                index += 1
            }
        }
        for position in found.indices {
            found[position].negated = isNegated(found[position].firstToken, in: tokens, text: text)
        }
        markEchoes(&found, tokens: tokens, text: text)
        return found
    }

    private func matches(_ phrase: (words: [String], label: String, singleLetter: Bool), at index: Int, in tokens: [Token]) -> Bool {
        guard index + phrase.words.count <= tokens.count else { return false }
        for (offset, word) in phrase.words.enumerated() where tokens[index + offset].lower != word {
            return false
        }
        guard phrase.singleLetter else { return true }
        let token = tokens[index]
        guard token.original.first?.isUppercase == true else { return false }
        // "A strong quarter" and "I think" are English, not choices A or I.
        if ["a", "i"].contains(token.lower), index + 1 < tokens.count,
            tokens[index + 1].original.first?.isLowercase == true, isOnlySpace(between: token, and: tokens[index + 1])
        {
            return false
        }
        return true
    }

    private func isOnlySpace(between first: Token, and second: Token) -> Bool {
        first.range.upperBound <= second.range.lowerBound
            && (first.original.base[first.range.upperBound..<second.range.lowerBound]).allSatisfy { $0 == " " }
    }

    /// A negator within three words before `index`, in the same clause.
    private func isNegated(_ index: Int, in tokens: [Token], text: String) -> Bool {
        var position = index - 1
        while position >= 0 && position >= index - 3 {
            let gap = text[tokens[position].range.upperBound..<tokens[position + 1].range.lowerBound]
            if gap.contains(where: { ".,;:!?".contains($0) }) { return false }
            let word = tokens[position].lower
            if Self.clauseBreakers.contains(word) { return false }
            if Self.negators.contains(word) || word.hasSuffix("n't") { return true }
            position -= 1
        }
        return false
    }

    /// Marks runs of two or more different labels joined only by `/`, `|`, commas or "or".
    private func markEchoes(_ mentions: inout [Mention], tokens: [Token], text: String) {
        var runStart = 0
        func closeRun(before end: Int) {
            let run = mentions[runStart..<end]
            if Set(run.map(\.label)).count >= 2 {
                for position in runStart..<end { mentions[position].echoed = true }
            }
        }
        guard !mentions.isEmpty else { return }
        for position in 1..<max(mentions.count, 1) {
            let previous = mentions[position - 1]
            let current = mentions[position]
            let gapWords = tokens[(previous.lastToken + 1)..<current.firstToken].map(\.lower)
            let gapText = text[tokens[previous.lastToken].range.upperBound..<tokens[current.firstToken].range.lowerBound]
            let joined =
                gapWords.allSatisfy { $0 == "or" }
                && gapText.allSatisfy { $0.isWhitespace || $0.isLetter || "/|,".contains($0) }
                && (gapText.contains { "/|,".contains($0) } || gapWords == ["or"])
            if !joined {
                closeRun(before: position)
                runStart = position
            }
        }
        closeRun(before: mentions.count)
    }

    // MARK: - Markdown

    static func stripMarkdown(_ text: String) -> String {
        var result = text
        for mark in ["**", "__", "`", "#"] {
            result = result.replacingOccurrences(of: mark, with: "")
        }
        // Single-asterisk emphasis; a lone "*" bullet becomes a space.
        return result.replacingOccurrences(of: "*", with: " ")
    }
}
