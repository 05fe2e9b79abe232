import AssayAnalysis
import AssayCore

/// `assay metrics --format csv`: one row per run, numbers at full precision, empty where a run has none.
public enum MetricsCSVWriter {
    public static let header = [
        "run", "model", "dataset", "task", "items", "unparsed", "unparsed_policy",
        "accuracy", "accuracy_ci_lower", "accuracy_ci_upper",
        "macro_precision", "macro_recall", "macro_f1", "macro_f1_ci_lower", "macro_f1_ci_upper",
        "weighted_precision", "weighted_recall", "weighted_f1",
        "duration_seconds", "seconds_per_query", "energy_kwh", "energy_method", "energy_label",
        "co2_grams", "co2_grams_per_query", "emission_factor", "emission_factor_source",
        "kind", "quality",
    ]

    public static func render(_ views: [MetricsView]) -> String {
        func optional(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        var text = CSVText.record(header)
        for view in views {
            text += CSVText.record([
                String(view.run), view.model, view.dataset, view.task, String(view.items), String(view.unparsed),
                view.unparsedPolicy,
                optional(view.accuracy), optional(view.accuracyCi?.lower), optional(view.accuracyCi?.upper),
                optional(view.macro?.precision), optional(view.macro?.recall), optional(view.macro?.f1),
                optional(view.macroF1Ci?.lower), optional(view.macroF1Ci?.upper),
                optional(view.weighted?.precision), optional(view.weighted?.recall), optional(view.weighted?.f1),
                optional(view.durationSeconds), optional(view.secondsPerQuery), optional(view.energy?.kwh),
                view.energy?.method ?? "", view.energy?.label ?? view.energyNotMeasured ?? "", optional(view.co2?.grams),
                optional(view.co2?.gramsPerQuery), optional(view.co2?.emissionFactor), view.co2?.emissionFactorSource ?? "",
                view.kind?.rawValue ?? TaskKind.classification.rawValue, quality(view.quality ?? []),
            ])
        }
        return text
    }

    /// "acc=0.5 [0.3,0.7]; acc_norm=0.6 [0.4,0.8]": every quality figure of a non-classification run.
    private static func quality(_ figures: [MetricsView.Quality]) -> String {
        figures.map { figure in
            "\(figure.metric)=\(figure.value)" + (figure.ci.map { " [\($0.lower),\($0.upper)]" } ?? "")
        }.joined(separator: "; ")
    }
}
