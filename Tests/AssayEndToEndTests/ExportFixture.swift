import AssayCore
import AssayStore
import AssaySupport
import Foundation
import GRDB

/// A small study database built through the store's records: eight financial sentences, three
/// labels, four runs of two model families at two precisions each (plus an interrupted run), two
/// annotators scoring under one rubric, an adjudication, and hostile text in one reasoning and
/// one comment.
struct ExportFixture {
    /// Text that must come out inert and readable in every format.
    static let hostile =
        "\\input{/etc/passwd} } % & # _ ^ ~ \\ <script>alert(1)</script> </td> \"double\" 'single', a, b\nsecond line\r\nthird"

    let path: String
    /// The quantized smollm2 prediction whose reasoning and comment hold `hostile`.
    let hostilePredictionID: PredictionID
    /// The prediction with an adjudicated score.
    let adjudicatedPredictionID: PredictionID
    let runIDs: [String: RunID]

    private static let items: [(text: String, gold: String)] = [
        ("$AAPL afternoon selloff as usual will be brutal. Get ready to lose a ton of money.", "negative"),
        (
            "Dealers said the share was hit by investor disappointment over a refining margin of 9.48 USD per barrel and shipping performance decline.",
            "negative"
        ),
        ("Recent deliveries include refinery technology to Anrak Aluminium and sintering plants to Bhushan Steel.", "neutral"),
        (
            "Cinema Series concludes with a profile of Finnish inventor Olavi Lindén, whose work has led to dozens of design awards.",
            "neutral"
        ),
        ("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007.", "positive"),
        ("The company's net sales increased by 18% to €1.2 billion, beating analysts' expectations.", "positive"),
        ("Finnish Talentum reports its operating profit fell to EUR 2.0 mn from EUR 4.4 mn.", "negative"),
        ("The contract covers the delivery of 150 trams to the city of Helsinki.", "neutral"),
    ]

    /// Label (nil: unparsed) and reasoning per item, per model.
    private static let answers: [String: [(String?, String)]] = [
        "smollm2 F16": [
            ("negative", "“afternoon selloff as usual will be brutal”, “get ready to lose a ton of money”: strongly negative."),
            ("negative", "“disappointment” and a declining margin point to a negative reading."),
            ("neutral", "Purely factual information, no emotive or evaluative language."),
            ("neutral", "A factual, descriptive profile."),
            ("positive", "Operating profit rose year on year."),
            ("positive", "Sales up 18% and above expectations."),
            ("negative", "Profit fell by half."),
            ("neutral", "A factual description of a contract."),
        ],
        "smollm2 Q4_0": [
            ("negative", "Selloff will be brutal; losing money is negative."),
            ("neutral", "Negative: “disappointment”; Neutral: the tone is factual."),
            ("neutral", "No emotive language."),
            ("positive", "“dozens of design awards” implies achievement."),
            ("positive", "Operating profit rose from 8.7 to 13.1. " + hostile),
            (nil, "Growth, but I cannot decide between positive and neutral."),
            ("negative", "Profit fell."),
            ("neutral", "Factual."),
        ],
        "qwen2.5-0.5b-instruct-q8_0": [
            ("negative", "Brutal selloff."), ("negative", "Disappointment."), ("neutral", "Factual."), ("positive", "Awards."),
            ("positive", "Profit rose."), ("positive", "Sales rose."), ("negative", "Profit fell."), ("positive", "A large order."),
        ],
        "qwen2.5-0.5b-instruct-q4_k_m": [
            ("negative", "Brutal."), ("neutral", "Factual."), ("neutral", "Factual."), ("positive", "Awards."),
            ("neutral", "Numbers only."), ("positive", "Sales rose."), ("negative", "Profit fell."), ("positive", "A large order."),
        ],
    ]

    /// Model name, quantization, energy in kWh.
    private static let runs: [(String, String, Double)] = [
        ("smollm2 F16", "F16", 0.0021),
        ("smollm2 Q4_0", "Q4_0", 0.0012),
        ("qwen2.5-0.5b-instruct-q8_0", "Q8_0", 0.0030),
        ("qwen2.5-0.5b-instruct-q4_k_m", "Q4_K_M", 0.0014),
    ]

    /// The paper's three criteria, in its order.
    private static let rubricDefinition = """
        name: sentiment-review
        version: "1"
        criteria:
          - name: consistency
            question: Does the predicted label match the gold label?
            categories:
              consistent: The label matches.
              inconsistent: The label does not match.
          - name: clarity
            question: Is the reasoning logical and easy to follow?
            levels:
              1: Incoherent.
              2: Hard to follow.
              3: Adequate.
              4: Clear.
              5: Crisp and complete.
          - name: alignment
            question: Does the reasoning support the predicted label?
            levels:
              1: Contradicts it.
              2: Mostly unrelated.
              3: Partly.
              4: Mostly.
              5: Fully.
        """

    static func create(in folder: String) throws -> ExportFixture {
        let path = folder + "/study.sqlite"
        let store = try AssayStore(path: path, create: true)
        return try DatabaseQueue(path: store.path).write { db in
            var dataset = DatasetRecord(
                name: "fpb", sourcePath: "fpb.csv", format: .csv, textColumn: "text",
                labelColumn: "label", labels: ["negative", "neutral", "positive"], contentHash: "fixture")
            try dataset.insert(db)
            let datasetID = try require(dataset.id)
            var itemIDs: [ItemID] = []
            for (index, item) in items.enumerated() {
                var record = ItemRecord(
                    datasetId: datasetID, position: index + 1, text: item.text, goldLabel: item.gold,
                    textHash: SHA256.hex(of: Array(item.text.utf8)))
                try record.insert(db)
                itemIDs.append(try require(record.id))
            }
            var runIDs: [String: RunID] = [:]
            var predictionIDs: [String: [PredictionID]] = [:]
            for (name, quantization, energy) in runs {
                var model = ModelRecord(name: name, backend: .ollama, reference: name, quantization: quantization)
                try model.insert(db)
                var run = RunRecord(
                    modelId: try require(model.id), datasetId: datasetID, taskName: "sentiment", taskDefinition: "task",
                    promptTemplate: "{text}", promptHash: "hash", mode: .generate, hyperparameters: Hyperparameters(),
                    selection: RunSelection(), status: .completed, host: "fixture", energyKwh: energy, energyMethod: .estimate,
                    emissionFactor: 400, emissionFactorSource: "Ember 2023 world average, via Our World in Data",
                    emissionRegion: "WORLD", pue: 1, co2Grams: energy * 400)
                try run.insert(db)
                let runID = try require(run.id)
                runIDs[name] = runID
                for (index, answer) in (answers[name] ?? []).enumerated() {
                    var prediction = PredictionRecord(
                        runId: runID, itemId: itemIDs[index], label: answer.0, reasoning: answer.1,
                        rawOutput: "label: \(answer.0 ?? "?")\nreasoning: \(answer.1)",
                        parseStatus: answer.0 == nil ? .unparsed : .parsed)
                    try prediction.insert(db)
                    predictionIDs[name, default: []].append(try require(prediction.id))
                }
            }
            // An interrupted run: left out of the table unless named.
            var interrupted = RunRecord(
                modelId: 1, datasetId: datasetID, taskName: "sentiment", taskDefinition: "task",
                promptTemplate: "{text}", promptHash: "hash", mode: .generate,
                hyperparameters: Hyperparameters(), selection: RunSelection(), status: .interrupted,
                host: "fixture")
            try interrupted.insert(db)

            var rubric = RubricRecord(name: "sentiment-review", version: "1", definition: rubricDefinition, contentHash: "rubric")
            try rubric.insert(db)
            let rubricID = try require(rubric.id)
            var annotatorIDs: [String: AnnotatorID] = [:]
            for name in ["alice", "bob", "carol"] {
                var annotator = AnnotatorRecord(name: name)
                try annotator.insert(db)
                annotatorIDs[name] = try require(annotator.id)
            }
            let small = predictionIDs["smollm2 F16"] ?? []
            let quantized = predictionIDs["smollm2 Q4_0"] ?? []
            let reviewed = Array(small.prefix(4)) + quantized
            let clarity: [String: [Double]] = [
                "alice": [5, 4, 5, 4, 4, 2, 5, 3, 4, 1, 3, 4], "bob": [5, 4, 4, 4, 4, 4, 5, 2, 4, 2, 3, 4],
            ]
            let alignment: [String: [Double]] = [
                "alice": [5, 5, 5, 4, 5, 3, 5, 4, 5, 2, 2, 5], "bob": [5, 4, 5, 5, 5, 4, 4, 4, 5, 2, 3, 5],
            ]
            let comments: [Int: String] = [
                0: "Consistent and correct; “brutal” and the financial loss match Negative.",
                5: "Inconsistent; a factual tone does not cancel “disappointment” and the falling margin.",
                7: "Inconsistent; the tone is factual despite the awards.",
                8: hostile,
                10: "Correct; the reasoning is short but names the fall in profit.",
            ]
            for name in ["alice", "bob"] {
                for (index, predictionID) in reviewed.enumerated() {
                    let label = try String.fetchOne(db, sql: "SELECT label FROM prediction WHERE id = ?", arguments: [predictionID])
                    let gold = try String.fetchOne(
                        db, sql: "SELECT i.gold_label FROM prediction p JOIN item i ON i.id = p.item_id WHERE p.id = ?",
                        arguments: [predictionID])
                    var score = ScoreRecord(
                        predictionId: predictionID, annotatorId: try require(annotatorIDs[name]), rubricId: rubricID,
                        criteria: [
                            "clarity": .number(clarity[name]?[index] ?? 3),
                            "alignment": .number(alignment[name]?[index] ?? 3),
                            "consistency": .text(label == gold ? "consistent" : "inconsistent"),
                        ],
                        comment: name == "alice" ? comments[index] : nil)
                    try score.insert(db)
                }
            }
            let disputed = quantized[1]
            var adjudication = ScoreRecord(
                predictionId: disputed, annotatorId: try require(annotatorIDs["carol"]), rubricId: rubricID, kind: .adjudication,
                criteria: ["clarity": .number(3), "alignment": .number(2), "consistency": .text("inconsistent")],
                comment: "Settled: the reasoning names the negative cue and then ignores it.")
            try adjudication.insert(db)
            return ExportFixture(path: path, hostilePredictionID: quantized[4], adjudicatedPredictionID: disputed, runIDs: runIDs)
        }
    }

    private static func require<Value>(_ value: Value?) throws -> Value {
        guard let value else { throw AssayError("fixture: a row got no id") }
        return value
    }
}
