import AssayAnalysis
import AssayCore
import AssayEngine
import AssayInference
import AssayStore
import AssaySupport
import Foundation

/// `assay divergence --dataset NAME --runs BASE,MODEL`: both models read each item two runs
/// answered (the base run's prompt and answer), and each item's KL divergence is stored beside
/// its flip between the runs.
enum DatasetDivergence {
    /// How many of the most divergent items the output lists.
    static let topItemCount = 10

    struct Output: Encodable {
        let id: DivergenceID?
        let base: String
        let model: String
        let baseSha256: String
        let modelSha256: String
        let dataset: String
        let baseRun: RunID
        let modelRun: RunID
        /// Of every item's prompt and answer, in order.
        let textSha256: String
        let threads: Int
        let seconds: Double
        /// Pooled over every item's positions; its `chunks` counts the items.
        let report: DivergenceReport
        /// What right means for the flips ("label", "exact_match"); nil where no figure is pass/fail.
        let flipMetric: String?
        let flips: FlipDivergence
        let topItems: [Item]
    }

    struct Item: Encodable {
        let row: Int
        let itemId: ItemID
        let meanKld: Double
        let maxKld: Double
        let answerMeanKld: Double?
        let sameTopToken: Double
        let tokensScored: Int
        let flip: FlipCategory?

        init(row: Int, _ record: ItemDivergenceRecord) {
            self.row = row
            itemId = record.itemId
            meanKld = record.meanKld
            maxKld = record.maxKld
            answerMeanKld = record.answerMeanKld
            sameTopToken = record.sameTopToken
            tokensScored = record.tokensScored
            flip = record.flip
        }
    }

    @discardableResult
    static func measure(
        dataset: String, runs: RunPair, base: String?, model: String?, threads: Int, json: Bool, database: DatabaseOptions
    ) throws -> DivergenceRecord {
        let store = try database.open()
        // The flips as `compare` names them (the bootstrap it also draws is not used here).
        let comparison = try StudyAnalysis(store: store).comparison(
            before: runs.base, after: runs.model, policy: .countAsWrong, bootstrap: BootstrapSettings())
        let baseName = try base ?? embeddedModel(of: comparison.before, in: store, option: "--base")
        let modelName = try model ?? embeddedModel(of: comparison.after, in: store, option: "--model")
        let baseFile = try ModelLocator.file(baseName, database: database)
        let modelFile = try ModelLocator.file(modelName, database: database)
        let baseModel = try EngineModel(contentsOf: baseFile)
        let items = try TeacherForcedItem.items(
            store: store, datasetName: dataset, baseRun: runs.base, modelRun: runs.model, template: baseModel.chatTemplate)
        let baseSession = try Session(
            model: baseModel, threads: threads, contextLength: comparison.before.run.hyperparameters.contextLength)
        let modelSession = try Session(
            model: try EngineModel(contentsOf: modelFile), threads: threads, contextLength: baseSession.contextLength)
        let context = min(baseSession.contextLength, modelSession.contextLength)
        let tokenizer = baseModel.tokenizer
        // The answer's tokens follow the prompt's, as generation produced them; its text is never parsed for control tokens.
        let tokens = items.map {
            TeacherForcedTokens(
                prompt: tokenizer.encode($0.prompt), answer: tokenizer.encode($0.answer, addSpecial: false, parseSpecial: false))
        }
        for (item, sequence) in zip(items, tokens) where sequence.count > context {
            throw AssayError(
                "dataset '\(dataset)' row \(item.row): its prompt and run \(runs.base)'s answer are \(sequence.count) tokens, more than the context of \(context) the runs used; measure on runs made with a larger context_length"
            )
        }
        let meter = try DivergenceMeter(base: baseSession, model: modelSession, settings: ChunkSettings(context: context, chunks: nil))
        let started = ContinuousClock.now
        let display = ProgressDisplay()
        let measured = try meter.measure(items: tokens) { done, total in
            let seconds = (ContinuousClock.now - started).secondsValue
            display.handle(.progress(RunProgress(done: done, total: total, madeThisSession: done, seconds: seconds)))
        }
        let seconds = (ContinuousClock.now - started).secondsValue

        let figures = zip(items, measured.items).map { item, figures in
            ItemDivergenceRecord(
                itemId: item.itemID, tokensScored: figures.tokensScored, answerTokensScored: figures.answerTokensScored,
                meanKld: figures.meanKld, maxKld: figures.maxKld, answerMeanKld: figures.answerMeanKld, sameTopToken: figures.sameTopToken,
                flip: comparison.flips?.categories[item.itemID])
        }
        let textSha256 = SHA256.hex(of: Array(items.map { $0.prompt + $0.answer }.joined(separator: "\u{0}").utf8))
        var record = DivergenceRecord(
            baseModel: baseName, model: modelName, baseSha256: try SHA256.hex(ofFileAt: baseFile).digest,
            modelSha256: try SHA256.hex(ofFileAt: modelFile).digest, textSource: dataset, textSha256: textSha256,
            settings: try DivergenceCommand.storedJSON(meter.settings), report: try DivergenceCommand.storedJSON(measured.report),
            host: HostDescription.current(),
            threads: threads, seconds: seconds, datasetId: comparison.before.run.datasetId, baseRunId: runs.base, modelRunId: runs.model)
        record = try store.saveDivergence(record, items: figures)

        let rows = zip(items, figures).map { Item(row: $0.row, $1) }
        let result = Output(
            id: record.id, base: baseName, model: modelName, baseSha256: record.baseSha256, modelSha256: record.modelSha256,
            dataset: dataset, baseRun: runs.base, modelRun: runs.model, textSha256: textSha256, threads: threads, seconds: seconds,
            report: measured.report, flipMetric: comparison.flips?.metric, flips: FlipDivergence(figures),
            topItems: Array(rows.sorted { ($0.meanKld, -$0.row) > ($1.meanKld, -$1.row) }.prefix(topItemCount)))
        if json {
            try JSONOutput.print(result)
        } else {
            print(text(result))
        }
        return record
    }

    /// The name of a run's model when the engine can read it; else an error that asks for `option`.
    private static func embeddedModel(of run: RunPredictions, in store: AssayStore, option: String) throws -> String {
        let model = try store.model(named: run.modelName)
        guard model.backend == .embedded else {
            throw AssayError(
                "run \(run.runID)'s model '\(run.modelName)' runs on \(model.backend.rawValue), not the embedded engine; give its GGUF file with \(option) FILE.gguf"
            )
        }
        return run.modelName
    }

    static func text(_ result: Output) -> String {
        let report = result.report
        var lines = [
            "Divergence \(result.id.map(String.init) ?? ""): \(result.model) against \(result.base) on dataset \(result.dataset), runs \(result.baseRun) and \(result.modelRun) (each item's prompt and run \(result.baseRun)'s answer)",
            "\(report.chunks) items, \(report.tokensScored) tokens scored, \(formatFixed(result.seconds, decimals: 2)) s on \(result.threads) threads",
            "",
        ]
        lines += DivergenceCommand.figureLines(report)
        lines.append("")
        func kld(_ value: Double?) -> String { value.map { formatSignificant($0, digits: 4) } ?? "-" }
        if let metric = result.flipMetric {
            let table = TextTable(header: ["flip (\(metric))", "items", "mean KLD", "mean answer KLD"])
            for category in result.flips.categories {
                table.add([category.flip.title, String(category.items), kld(category.meanKld), kld(category.meanAnswerKld)])
            }
            for (name, group) in [("flipped", result.flips.flipped), ("unflipped", result.flips.unflipped)] {
                table.add([name, String(group.items), kld(group.meanKld), kld(group.meanAnswerKld)])
            }
            lines += [table.render(), ""]
        } else {
            lines += ["flips: none, the runs' task has no pass/fail figure", ""]
        }
        lines.append("the \(result.topItems.count) items that diverged most:")
        let top = TextTable(header: ["row", "mean KLD", "answer KLD", "max KLD", "same top token", "tokens", "flip"])
        for item in result.topItems {
            top.add([
                String(item.row), kld(item.meanKld), kld(item.answerMeanKld), kld(item.maxKld),
                formatFixed(item.sameTopToken * 100, decimals: 1) + " %", String(item.tokensScored), item.flip?.title ?? "-",
            ])
        }
        lines += [
            top.render(), "",
            "stored with base sha256 \(result.baseSha256.prefix(16))…, model sha256 \(result.modelSha256.prefix(16))…, texts sha256 \(result.textSha256.prefix(16))…",
        ]
        return lines.joined(separator: "\n")
    }
}
