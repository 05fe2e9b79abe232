import AssayCore
import AssayStore
import Foundation

/// Writes every score as a flat record: CSV with one column per criterion, or JSON Lines with the
/// criteria as an object.
public enum ScoresWriter {
    public static func render(_ rows: [ScoreExportRow], format: ScoresFormat) throws -> String {
        switch format {
        case .csv: return csv(rows)
        case .jsonl: return try rows.map { try ExportJSON.string($0, pretty: false) + "\n" }.joined()
        }
    }

    /// Criterion columns are named `criterion.NAME`, so they can never collide with the fixed columns.
    private static func csv(_ rows: [ScoreExportRow]) -> String {
        let criteria = CriterionOrder.arrange(rows.flatMap(\.criteria.keys), rubricOrders: rows.map(\.rubricCriteria).uniqued())
        let dates = ISO8601DateFormatter()
        dates.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var text = CSVText.record(
            ["score_id", "kind", "annotator", "rubric", "rubric_version", "rubric_content_hash"]
                + criteria.map { "criterion.\($0)" }
                + [
                    "comment", "created_at", "updated_at", "prediction_id", "predicted_label", "parse_status", "reasoning",
                    "item_id", "item_position", "item_text", "gold_label", "dataset", "run_id", "task", "model", "quantization",
                ])
        for row in rows {
            text += CSVText.record(
                [String(row.scoreID), row.kind.rawValue, row.annotator, row.rubricName, row.rubricVersion, row.rubricContentHash]
                    + criteria.map { row.criteria[$0]?.description ?? "" }
                    + [
                        row.comment ?? "", dates.string(from: row.createdAt), dates.string(from: row.updatedAt),
                        String(row.predictionID), row.predictedLabel ?? "", row.parseStatus.rawValue, row.reasoning ?? "",
                        String(row.itemID), String(row.itemPosition), row.itemText, row.goldLabel, row.datasetName,
                        String(row.runID), row.taskName, row.modelName, row.quantization ?? "",
                    ])
        }
        return text
    }
}
