import AssayCore
import AssayStore
import Foundation

/// Turns what the session shows into text for a terminal of `width` columns.
///
/// Blind mode is enforced here, in one place: when `runs.blind` is set, no view names a model or
/// a quantization, and no view shows another annotator's score.
public struct ReviewRenderer: Sendable {
    public let rubric: Rubric
    public let runs: ReviewRunLabels
    public let annotatorID: AnnotatorID
    public let kind: ScoreKind
    public let width: Int

    private let labelWidth = 11

    public init(rubric: Rubric, runs: ReviewRunLabels, annotatorID: AnnotatorID, kind: ScoreKind, width: Int) {
        self.rubric = rubric
        self.runs = runs
        self.annotatorID = annotatorID
        self.kind = kind
        self.width = max(width, 40)
    }

    /// One prediction: its text, labels, reasoning, the annotator's earlier score and (not blind) the others'.
    public func item(
        _ prediction: ReviewPrediction, scores: [AnnotatorScore], number: Int, count: Int,
        progress: ReviewProgress, extended: Bool
    ) -> String {
        var lines = [rule("\(number)/\(count) · \(runs.heading(of: prediction.runID)) · \(progress.summary)")]
        let outcomeFields = OutcomeFields(prediction: prediction, width: width - labelWidth).fields()
        if prediction.kind == .code {
            // The problem and the program are shown as code, line-numbered, instead of as wrapped prose.
            for entry in outcomeFields { lines += block(entry.label, entry.lines, verbatim: entry.verbatim) }
        } else {
            lines += field("Text", prediction.text)
            if prediction.kind != .classification || !prediction.goldLabel.isEmpty {
                lines += field(prediction.kind == .generation ? "Reference" : "Gold", prediction.goldLabel)
            }
            lines += field("Predicted", predictedLabel(prediction))
            for entry in outcomeFields { lines += block(entry.label, entry.lines, verbatim: entry.verbatim) }
            lines += field(prediction.kind == .generation ? "Output" : "Reasoning", prediction.reasoning ?? "(none)")
        }
        if extended {
            lines += field("Raw output", prediction.rawOutput)
        }
        if let own = ownScore(in: scores) {
            lines += field(kind == .adjudication ? "Adjudged" : "Your score", describe(own.entry))
        }
        for other in visibleOthers(in: scores) {
            lines += field(other.kind == .adjudication ? "\(other.annotator) (adjudication)" : other.annotator, describe(other.entry))
        }
        lines.append("Score: \(rubric.scoreLineForm)   (help lists the commands)")
        return lines.joined(separator: "\n")
    }

    /// The same text's predictions from each run, side by side when the terminal is wide enough.
    public func compare(_ predictions: [ReviewPrediction], scores: [PredictionID: [AnnotatorScore]], currentID: PredictionID) -> String {
        guard let first = predictions.first else { return "" }
        var lines = [rule("compare · \(predictions.count) runs")]
        lines += field("Text", first.text)
        lines += field("Gold", first.goldLabel)
        let columns = predictions.map { prediction -> [String] in
            var column = [runs.heading(of: prediction.runID) + (prediction.predictionID == currentID ? " (this item)" : "")]
            column.append("Predicted: \(predictedLabel(prediction))")
            column.append("Reasoning: \(prediction.reasoning ?? "(none)")")
            let shown = scores[prediction.predictionID] ?? []
            if let own = ownScore(in: shown) { column.append("Your score: \(describe(own.entry))") }
            for other in visibleOthers(in: shown) { column.append("\(other.annotator): \(describe(other.entry))") }
            return column
        }
        let gap = 3
        let columnWidth = (width - gap * (columns.count - 1)) / columns.count
        if columnWidth >= 30 {
            let wrapped = columns.map { $0.flatMap { TextWrapper.wrap($0, width: columnWidth) } }
            let height = wrapped.map(\.count).max() ?? 0
            for row in 0..<height {
                let cells = wrapped.map { row < $0.count ? $0[row] : "" }
                let padded = cells.dropLast().map { $0.padding(toLength: columnWidth, withPad: " ", startingAt: 0) } + [cells.last ?? ""]
                lines.append(padded.joined(separator: String(repeating: " ", count: gap)).trimmingTrailingSpaces)
            }
        } else {
            for column in columns {
                lines.append("")
                lines += column.flatMap { TextWrapper.wrap($0, width: width) }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Progress and the distribution of the annotator's own scores, per criterion.
    public func stats(progress: ReviewProgress, ownScores: [[String: ScoreValue]], filter: String) -> String {
        var lines = [rule("stats")]
        lines += field("Progress", progress.summary)
        lines += field("Filter", filter)
        lines += field("Scores", "\(ownScores.count) by you under \(rubric.name) version \(rubric.version)")
        let nameWidth = max(labelWidth, (rubric.criteria.map(\.name.count).max() ?? 0) + 2)
        for criterion in rubric.criteria {
            let counts = criterion.scale.levels.map { level -> String in
                let value = criterion.scale.value(from: level.name)
                return "\(level.name): \(ownScores.count { $0[criterion.name] == value })"
            }
            lines += TextWrapper.labelled(criterion.name, counts.joined(separator: ", "), labelWidth: nameWidth, width: width)
        }
        return lines.joined(separator: "\n")
    }

    /// The rubric: its criteria in typing order and what each level means.
    public func rubricText() -> String {
        var lines = [rule("rubric \(rubric.name) · version \(rubric.version)")]
        if !rubric.description.isEmpty { lines += TextWrapper.wrap(rubric.description, width: width) }
        for (index, criterion) in rubric.criteria.enumerated() {
            lines.append("")
            lines += TextWrapper.wrap("\(index + 1). \(criterion.name): \(criterion.question)", width: width)
            for level in criterion.scale.levels {
                lines += TextWrapper.labelled("   \(level.name)", level.description, labelWidth: max(6, level.name.count + 5), width: width)
            }
        }
        lines.append("")
        lines.append("Type: \(rubric.scoreLineForm)")
        return lines.joined(separator: "\n")
    }

    /// How to score and every command.
    public func help() -> String {
        var lines = [rule("help")]
        lines += TextWrapper.wrap("Score: \(rubric.scoreLineForm), e.g. \(example)", width: width)
        let formWidth = 18
        for command in ReviewAction.usage where command.name != "skip" {
            let form = "  " + command.form
            if form.count >= formWidth {
                lines.append(form)
                lines += TextWrapper.labelled("", command.meaning, labelWidth: formWidth, width: width)
            } else {
                lines += TextWrapper.labelled(form, command.meaning, labelWidth: formWidth, width: width)
            }
        }
        lines.append("Tab completes commands and values; Up recalls earlier lines; Ctrl-C clears the line.")
        return lines.joined(separator: "\n")
    }

    /// Shown when every item in view is done.
    public func finished(progress: ReviewProgress) -> String {
        [
            rule("done · \(progress.summary)"),
            "Nothing left to serve in view. Use back, goto N, filter off, stats, or quit.",
        ].joined(separator: "\n")
    }

    /// A score as one line: "consistency 4 · clarity 5 · alignment 3 · "comment"".
    public func describe(_ entry: ScoreEntry) -> String {
        let values = rubric.criteria.map { "\($0.name) \(entry.values[$0.name]?.description ?? "-")" }
        return (values + (entry.comment.map { ["\"\($0)\""] } ?? [])).joined(separator: " · ")
    }

    private var example: String {
        let values = rubric.criteria.map { $0.scale.levels[$0.scale.levels.count / 2].name }
        return (values + ["reasoning repeats itself"]).joined(separator: " ")
    }

    private func ownScore(in scores: [AnnotatorScore]) -> AnnotatorScore? {
        scores.first { $0.annotatorID == annotatorID && $0.kind == kind }
    }

    /// Other annotators' scores, never in blind mode.
    private func visibleOthers(in scores: [AnnotatorScore]) -> [AnnotatorScore] {
        runs.blind ? [] : scores.filter { !($0.annotatorID == annotatorID && $0.kind == kind) }
    }

    private func predictedLabel(_ prediction: ReviewPrediction) -> String {
        if prediction.kind == .generation { return "(free text, scored against the reference)" }
        guard let label = prediction.predictedLabel else { return "(none: \(prediction.parseStatus.rawValue) answer)" }
        if prediction.kind == .exactMatch {
            return label + ((prediction.outcome?.score(.exactMatch) ?? 0) == 1 ? "   (matches gold)" : "   (differs from gold)")
        }
        return label.lowercased() == prediction.goldLabel.lowercased() ? label : "\(label)   (differs from gold)"
    }

    /// Lines under one label: verbatim ones (code) as they are, the others wrapped.
    private func block(_ label: String, _ lines: [String], verbatim: Bool) -> [String] {
        let indent = String(repeating: " ", count: max(labelWidth, label.count + 1))
        return lines.enumerated().flatMap { index, line -> [String] in
            let head = index == 0 ? label.padding(toLength: indent.count, withPad: " ", startingAt: 0) : indent
            return verbatim ? [head + line] : TextWrapper.labelled(head, line, labelWidth: indent.count, width: width)
        }
    }

    private func field(_ label: String, _ text: String) -> [String] {
        TextWrapper.labelled(label, text, labelWidth: max(labelWidth, label.count + 1), width: width)
    }

    private func rule(_ title: String) -> String {
        let head = "── \(title) "
        return head + String(repeating: "─", count: max(0, width - head.count))
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        String(reversed().drop(while: { $0 == " " }).reversed())
    }
}
