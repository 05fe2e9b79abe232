import AssayCore
import AssayStore
import AssaySupport

/// What the review screen shows of a scored answer beyond its text: a multiple-choice item's
/// options, an extracted final answer, a code problem and program with line numbers beside their
/// test result, a generation's overlap with its references.
struct OutcomeFields {
    let prediction: ReviewPrediction
    let width: Int

    /// (label, lines) pairs; a label names the first line, and code lines keep their indentation.
    func fields() -> [(label: String, lines: [String], verbatim: Bool)] {
        let outcome = prediction.outcome
        switch prediction.kind {
        case .classification:
            return []
        case .multipleChoice:
            let options = (outcome?.choices ?? []).enumerated().map { index, choice in
                let letter = MultipleChoiceSettings.letter(index)
                let marks = [letter == prediction.goldLabel ? "gold" : nil, letter == prediction.predictedLabel ? "chosen" : nil]
                    .compactMap { $0 }
                return "\(letter). \(choice.text)  (log-likelihood \(formatted(choice.logLikelihood)))"
                    + (marks.isEmpty ? "" : "  ← \(marks.joined(separator: ", "))")
            }
            return [("Options", options, false), ("Scores", [scores(outcome)], false)]
        case .exactMatch:
            let extracted =
                outcome?.extracted.map { "\($0)  (read by rule \(outcome?.extractionRule ?? "?"))" } ?? "(no final answer found)"
            return [("Extracted", [extracted], false), ("Scores", [scores(outcome)], false)]
        case .generation:
            return [("Scores", [scores(outcome)], false)]
        case .code:
            guard let sample = outcome?.samples?.first else { return [("Tests", ["(no program was run)"], false)] }
            let program = CodeProgram(
                prompt: prediction.text, completion: sample.completion, test: "", entryPoint: "", stop: CodeSettings.humanEvalStops)
            var result = [
                "\(sample.verdict)" + (sample.exitStatus.map { ", exit status \($0)" } ?? "")
                    + (sample.signal.map { ", signal \($0)" } ?? "") + ", \(formatted(sample.seconds)) s; \(sample.isolation)"
            ]
            let errors = sample.stderrTail.split(separator: "\n").suffix(6).map(String.init)
            if !sample.passed { result += errors }
            if let samples = outcome?.samples, samples.count > 1 {
                result.append("\(samples.filter(\.passed).count) of \(samples.count) samples passed; \(scores(outcome))")
            }
            let explanation = program.prose.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return [
                ("Problem", numbered(prediction.text), true),
                ("Code", numbered(program.body), true),
                ("Tests", result, false),
                ("Explanation", [explanation.isEmpty ? "(none)" : explanation], false),
            ]
        }
    }

    /// Code lines numbered from 1, tabs as four spaces, cut at the screen's edge with a marker.
    private func numbered(_ code: String) -> [String] {
        let lines = code.replacingOccurrences(of: "\t", with: "    ").split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = lines.last?.isEmpty == true ? Array(lines.dropLast()) : Array(lines)
        let digits = String(trimmed.count).count
        let room = max(10, width - digits - 3)
        return trimmed.enumerated().map { index, line in
            let number = String(index + 1)
            let text = line.count > room ? String(line.prefix(room - 1)) + "…" : String(line)
            return String(repeating: " ", count: digits - number.count) + number + " │ " + text
        }
    }

    private func scores(_ outcome: ItemOutcome?) -> String {
        guard let outcome else { return "(not scored)" }
        return outcome.scores.keys.sorted().map { "\(QualityMetric(key: $0).displayName) \(formatted(outcome.scores[$0] ?? 0))" }
            .joined(separator: " · ")
    }

    private func formatted(_ value: Double) -> String {
        formatSignificant(value, digits: 4)
    }
}
