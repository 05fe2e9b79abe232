import AssayCore
import AssaySupport
import Foundation
import GRDB

extension AssayStore {
    /// The runs named by `ids` in that order, or every completed run oldest first when `ids` is empty.
    public func runOutcomes(ids: [RunID]) throws -> [RunOutcome] {
        let runIDs =
            ids.isEmpty
            ? try reading { statements in
                try statements.rows("SELECT id FROM run WHERE status = ? ORDER BY id", [RunStatus.completed.databaseValue])
                    .map { $0["id"] as RunID }
            }
            : ids
        return try runIDs.map { runID in
            let predictions = try runPredictions(runID: runID)
            let model = try reading { statements in
                try statements.rows("SELECT quantization, parameter_count FROM model WHERE id = ?", [predictions.run.modelId.databaseValue])
                    .first
            }
            return RunOutcome(
                predictions: predictions, quantization: model?["quantization"], parameterCount: model?["parameter_count"])
        }
    }

    /// The predictions named by `ids` in that order, or every prediction that has at least one
    /// score (by run, then item) when `ids` is empty; each with all its scores, oldest first.
    public func reviewedPredictions(ids: [PredictionID]) throws -> [ReviewedPrediction] {
        try reading { statements in
            let orders = try Self.criterionOrders(in: statements)
            guard ids.isEmpty else {
                return try ids.map { id in
                    guard let row = try statements.rows(Self.predictionSelect + " WHERE p.id = ?", [id.databaseValue]).first else {
                        let highest: PredictionID? = try statements.value("SELECT MAX(id) FROM prediction")
                        let known = highest.map { "prediction ids run from 1 to \($0)" } ?? "there are no predictions yet"
                        throw AssayError("no prediction with id \(id); \(known) (see assay export scores)")
                    }
                    let scores = try statements.rows(
                        Self.scoreSelect + " WHERE s.prediction_id = ? ORDER BY s.created_at, s.id", [id.databaseValue])
                    return try Self.reviewedPrediction(row, scores: try scores.map { try Self.score($0, orders: orders) })
                }
            }
            // Every scored prediction: two passes over the tables instead of two queries per prediction.
            var scores: [PredictionID: [ReviewedPrediction.Score]] = [:]
            for row in try statements.rows(Self.scoreSelect + " ORDER BY s.prediction_id, s.created_at, s.id", []) {
                scores[row["prediction_id"], default: []].append(try Self.score(row, orders: orders))
            }
            let predictions = try statements.rows(
                Self.predictionSelect + """
                     WHERE EXISTS (SELECT 1 FROM score s WHERE s.prediction_id = p.id) ORDER BY p.run_id, i.position
                    """, [])
            return try predictions.map { row in try Self.reviewedPrediction(row, scores: scores[row["id"]] ?? []) }
        }
    }

    /// Every score, oldest first, joined to its prediction, item, run, model, annotator and rubric.
    public func scoreExportRows() throws -> [ScoreExportRow] {
        try reading { statements in
            let rows = try statements.rows(
                """
                SELECT s.id, s.kind, a.name AS annotator, r.id AS rubric_id, r.name AS rubric_name, r.version AS rubric_version,
                       r.content_hash AS rubric_content_hash, s.criteria, s.comment, s.created_at, s.updated_at,
                       p.id AS prediction_id, p.label, p.parse_status, p.reasoning,
                       i.id AS item_id, i.position, i.text, i.gold_label, d.name AS dataset_name,
                       run.id AS run_id, run.task_name, m.name AS model_name, m.quantization
                FROM score s
                JOIN annotator a ON a.id = s.annotator_id
                JOIN rubric r ON r.id = s.rubric_id
                JOIN prediction p ON p.id = s.prediction_id
                JOIN item i ON i.id = p.item_id
                JOIN run ON run.id = p.run_id
                JOIN model m ON m.id = run.model_id
                JOIN dataset d ON d.id = run.dataset_id
                ORDER BY s.id
                """, [])
            let orders = try Self.criterionOrders(in: statements)
            return try rows.map { row in
                let scoreID: ScoreID = row["id"]
                return ScoreExportRow(
                    scoreID: scoreID, kind: try Self.scoreKind(row["kind"], scoreID: scoreID),
                    annotator: row["annotator"], rubricName: row["rubric_name"], rubricVersion: row["rubric_version"],
                    rubricContentHash: row["rubric_content_hash"],
                    criteria: try Self.storedCriteria(row["criteria"], scoreID: scoreID),
                    rubricCriteria: orders[row["rubric_id"]] ?? [], comment: row["comment"],
                    createdAt: row["created_at"], updatedAt: row["updated_at"], predictionID: row["prediction_id"],
                    predictedLabel: row["label"],
                    parseStatus: try Self.parseStatus(row["parse_status"], predictionID: row["prediction_id"]),
                    reasoning: row["reasoning"], itemID: row["item_id"], itemPosition: row["position"],
                    itemText: row["text"], goldLabel: row["gold_label"], datasetName: row["dataset_name"],
                    runID: row["run_id"], taskName: row["task_name"], modelName: row["model_name"],
                    quantization: row["quantization"])
            }
        }
    }

    private static let predictionSelect = """
        SELECT p.id, p.run_id, m.name AS model_name, m.quantization, d.name AS dataset_name, i.id AS item_id,
               i.position, i.text, i.gold_label, p.label, p.parse_status, p.reasoning
        FROM prediction p
        JOIN item i ON i.id = p.item_id
        JOIN run ON run.id = p.run_id
        JOIN model m ON m.id = run.model_id
        JOIN dataset d ON d.id = run.dataset_id
        """

    private static let scoreSelect = """
        SELECT s.id, s.prediction_id, a.name AS annotator, s.kind, r.id AS rubric_id, r.name AS rubric_name,
               r.version AS rubric_version, s.criteria, s.comment, s.updated_at
        FROM score s JOIN annotator a ON a.id = s.annotator_id JOIN rubric r ON r.id = s.rubric_id
        """

    private static func reviewedPrediction(_ row: Row, scores: [ReviewedPrediction.Score]) throws -> ReviewedPrediction {
        let predictionID: PredictionID = row["id"]
        return ReviewedPrediction(
            predictionID: predictionID, runID: row["run_id"], modelName: row["model_name"],
            quantization: row["quantization"], datasetName: row["dataset_name"], itemID: row["item_id"],
            itemPosition: row["position"], text: row["text"], goldLabel: row["gold_label"],
            predictedLabel: row["label"], parseStatus: try parseStatus(row["parse_status"], predictionID: predictionID),
            reasoning: row["reasoning"], scores: scores)
    }

    private static func score(_ row: Row, orders: [RubricID: [String]]) throws -> ReviewedPrediction.Score {
        let scoreID: ScoreID = row["id"]
        return ReviewedPrediction.Score(
            annotator: row["annotator"], kind: try scoreKind(row["kind"], scoreID: scoreID),
            rubricName: row["rubric_name"], rubricVersion: row["rubric_version"],
            criteria: try storedCriteria(row["criteria"], scoreID: scoreID), criterionOrder: orders[row["rubric_id"]] ?? [],
            comment: row["comment"], updatedAt: row["updated_at"])
    }

    /// Each rubric's criteria in the order its stored file lists them. A definition that no longer
    /// parses (written by another version) only loses the order: exports then sort by name.
    private static func criterionOrders(in statements: any StoreStatements) throws -> [RubricID: [String]] {
        var orders: [RubricID: [String]] = [:]
        for rubric in try statements.fetchAll(RubricRecord.self, "SELECT * FROM rubric") {
            guard let id = rubric.id,
                let parsed = try? RubricParser.parse(rubric.definition, source: "rubric \(rubric.name) \(rubric.version)")
            else { continue }
            orders[id] = parsed.criteria.map(\.name)
        }
        return orders
    }

    /// A score's criteria column, decoded; exports and agreement both read it.
    static func storedCriteria(_ json: String, scoreID: ScoreID) throws -> [String: ScoreValue] {
        do {
            return try JSONDecoder().decode([String: ScoreValue].self, from: Data(json.utf8))
        } catch {
            throw AssayError("score \(scoreID): its criteria are not a JSON object of numbers and names; \(changedOutsideAssay)")
        }
    }

    static func scoreKind(_ raw: String, scoreID: ScoreID) throws -> ScoreKind {
        guard let kind = ScoreKind(rawValue: raw) else {
            throw AssayError("score \(scoreID): unknown kind '\(raw)'; \(changedOutsideAssay)")
        }
        return kind
    }

    static func parseStatus(_ raw: String, predictionID: PredictionID) throws -> ParseStatus {
        guard let status = ParseStatus(rawValue: raw) else {
            throw AssayError("prediction \(predictionID): unknown parse status '\(raw)'; \(changedOutsideAssay)")
        }
        return status
    }
}
