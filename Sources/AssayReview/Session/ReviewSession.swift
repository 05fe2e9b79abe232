import AssayCore
import AssayStore
import AssaySupport

/// The review REPL's logic: each typed line becomes a score stored through the data source, a
/// move in the queue, or a view, and the reply is the text to show next.
///
/// Invalid input changes nothing and answers with the expected form. A score is stored (and
/// committed) before the next item is rendered, so an acknowledged score is never lost.
public final class ReviewSession {
    /// One score change of this session, for undo.
    private struct ScoreChange {
        let predictionID: PredictionID
        let previous: ScoreEntry?
    }

    public let rubric: Rubric
    public let renderer: ReviewRenderer
    private let source: any ReviewDataSource
    private let perItem: Int?
    public private(set) var navigator: ReviewNavigator
    private var changes: [ScoreChange] = []

    /// `entries` are in serving order; `scored` are the predictions this annotator already scored.
    public init(
        rubric: Rubric, renderer: ReviewRenderer, entries: [ReviewQueueEntry], scored: Set<PredictionID>,
        source: any ReviewDataSource, perItem: Int?
    ) {
        self.rubric = rubric
        self.renderer = renderer
        self.source = source
        self.perItem = perItem
        navigator = ReviewNavigator(entries: entries, scored: scored)
    }

    private var runs: ReviewRunLabels { renderer.runs }

    /// Applies the starting filter and shows the first item to serve: the annotator's next unscored one.
    public func start(filter: ReviewFilter = ReviewFilter()) throws -> ReviewReply {
        if filter.isEmpty {
            try navigator.advance(servable: servable)
        } else {
            try navigator.setFilter(filter, servable: servable)
        }
        return ReviewReply(text: try currentView())
    }

    /// The view of the item shown now (what follows every move).
    public func render() throws -> String {
        try currentView()
    }

    /// Runs the data source's upkeep (a checkpoint of the database's log). The REPL calls this after
    /// showing a reply, while the annotator reads, so that no score's commit pays for it.
    public func performUpkeep() throws {
        try source.performUpkeep()
    }

    /// What Tab completes in this session: commands, filter terms with its labels and runs, categories.
    public var completion: ReviewCompletion {
        var labels: Set<String> = []
        for entry in navigator.entries {
            labels.insert(entry.goldLabel.lowercased())
            if let predicted = entry.predictedLabel { labels.insert(predicted.lowercased()) }
        }
        return ReviewCompletion(rubric: rubric, labels: labels.sorted(), runChoices: runs.choices)
    }

    /// Handles one typed line.
    public func handle(_ line: String) throws -> ReviewReply {
        let command: ReviewAction?
        do {
            command = try ReviewAction.parse(line, rubric: rubric, runs: runs)
        } catch let error as AssayError {
            return ReviewReply(text: "! \(error.message)")
        }
        guard let command else { return ReviewReply(text: "") }
        switch command {
        case .score(let entry):
            guard let current = navigator.current else { return notShowing() }
            try record(entry, for: current.predictionID)
            try navigator.advance(servable: servable)
            return ReviewReply(text: "saved: \(renderer.describe(entry))\n" + (try currentView()))
        case .next:
            try navigator.skip(servable: servable)
            return ReviewReply(text: try currentView())
        case .back:
            guard navigator.goBack() else { return ReviewReply(text: "! nothing to go back to") }
            return ReviewReply(text: try currentView())
        case .goto(let number):
            guard navigator.go(to: number) else {
                return ReviewReply(
                    text: "! there is no item \(number); the list in view has \(navigator.count) items (goto 1 to \(navigator.count))")
            }
            return ReviewReply(text: try currentView())
        case .undo:
            return try undo()
        case .comment(let text):
            guard let current = navigator.current else { return notShowing() }
            guard let own = try ownScore(of: current.predictionID) else {
                return ReviewReply(text: "! score this item first (\(rubric.scoreLineForm)), then add a comment")
            }
            let entry = ScoreEntry(values: own.values, comment: text)
            try record(entry, for: current.predictionID)
            return ReviewReply(text: "saved: \(renderer.describe(entry))\n" + (try currentView()))
        case .show:
            return ReviewReply(text: try currentView(extended: true))
        case .compare:
            return try compare()
        case .showFilter:
            return ReviewReply(text: "filter: \(navigator.filter.describe(runs: runs)) (\(navigator.count) items in view)")
        case .filter(let filter):
            let previous = navigator.filter
            try navigator.setFilter(filter, servable: servable)
            guard navigator.count > 0 else {
                try navigator.setFilter(previous, servable: servable)
                return ReviewReply(
                    text: "! no item matches filter \(filter.describe(runs: runs)); the filter stays \(previous.describe(runs: runs))")
            }
            return ReviewReply(text: "filter: \(filter.describe(runs: runs)) (\(navigator.count) items in view)\n" + (try currentView()))
        case .find(let text):
            guard let found = navigator.firstInView(of: try source.predictions(containing: text)) else {
                return ReviewReply(text: "! no item in view contains '\(text)'")
            }
            _ = navigator.show(predictionID: found)
            return ReviewReply(text: try currentView())
        case .stats:
            return ReviewReply(
                text: renderer.stats(
                    progress: navigator.progress, ownScores: try source.ownScoreValues(),
                    filter: navigator.filter.describe(runs: runs)))
        case .rubric:
            return ReviewReply(text: renderer.rubricText())
        case .help:
            return ReviewReply(text: renderer.help())
        case .quit:
            return ReviewReply(
                text: "Bye. \(changes.count) score change(s) saved this session; \(navigator.progress.summary).", ended: true)
        }
    }

    /// Stores a score, remembering what it replaced for undo.
    private func record(_ entry: ScoreEntry, for predictionID: PredictionID) throws {
        let previous = try source.save(entry, for: predictionID)
        changes.append(ScoreChange(predictionID: predictionID, previous: previous))
        navigator.markScored(predictionID)
    }

    private func undo() throws -> ReviewReply {
        guard let change = changes.popLast() else { return ReviewReply(text: "! nothing to undo in this session") }
        try source.restore(change.previous, for: change.predictionID)
        if change.previous == nil { navigator.markUnscored(change.predictionID) }
        let what = change.previous.map { "restored: \(renderer.describe($0))" } ?? "removed the score"
        guard navigator.show(predictionID: change.predictionID) else {
            return ReviewReply(text: "undone: \(what) (that item is outside the filter)\n" + (try currentView()))
        }
        return ReviewReply(text: "undone: \(what)\n" + (try currentView()))
    }

    private func compare() throws -> ReviewReply {
        guard let current = navigator.current else { return notShowing() }
        let predictions = try source.predictionsOfSameText(as: current.predictionID)
        guard predictions.count > 1 else {
            return ReviewReply(text: "! no other run in this session has a prediction for this text")
        }
        var scores: [PredictionID: [AnnotatorScore]] = [:]
        for prediction in predictions { scores[prediction.predictionID] = try source.scores(of: prediction.predictionID) }
        return ReviewReply(text: renderer.compare(predictions, scores: scores, currentID: current.predictionID))
    }

    private func currentView(extended: Bool = false) throws -> String {
        guard let current = navigator.current, let number = navigator.currentNumber else {
            return renderer.finished(progress: navigator.progress)
        }
        return renderer.item(
            try source.prediction(current.predictionID), scores: try source.scores(of: current.predictionID),
            number: number, count: navigator.count, progress: navigator.progress, extended: extended)
    }

    private func ownScore(of predictionID: PredictionID) throws -> ScoreEntry? {
        try source.scores(of: predictionID).first { $0.annotatorID == renderer.annotatorID && $0.kind == renderer.kind }?.entry
    }

    private func notShowing() -> ReviewReply {
        ReviewReply(text: "! no item is shown; use back, goto N or filter off first")
    }

    /// With `--per-item K`, an item is served only while fewer than K other annotators have scored it.
    private func servable(_ entry: ReviewQueueEntry) throws -> Bool {
        guard let perItem else { return true }
        return try source.otherAnnotatorCount(of: entry.predictionID) < perItem
    }
}
