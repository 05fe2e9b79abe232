import ArgumentParser
import AssayBenchmarks
import AssayCore
import AssaySupport

struct BenchMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Time metrics and bootstrap intervals over synthetic predictions in memory.",
        discussion: """
            Three classes, 70% right, 3% unparsed. Label coding, the metrics (confusion matrix, \
            per-class table, averages, accuracy), the bootstrap intervals and the paired bootstrap \
            are timed separately, single-threaded.

            Example:
              assay bench metrics
              assay bench metrics --predictions 100000 --bootstrap 2000 --json
            """
    )

    @Option(help: "How many synthetic predictions.")
    var predictions = 1_000_000

    @Option(help: "Bootstrap resamples.")
    var bootstrap = BootstrapSettings.defaultResamples

    @Option(help: "Seed for the synthetic data and the resampling.")
    var seed = BootstrapSettings.defaultSeed

    @OptionGroup var output: JSONOption

    func run() throws {
        let result = try MetricsBenchmark.run(predictions: predictions, resamples: bootstrap, seed: seed)
        if output.json {
            try JSONOutput.print(result)
            return
        }
        func seconds(_ value: Double) -> String { formatFixed(value, decimals: 4) + " s" }
        let table = TextTable(header: ["step", "time"])
        table.add(["code string labels to integers", seconds(result.codingSeconds)])
        table.add(["metrics (confusion matrix, per class, averages)", seconds(result.metricsSeconds)])
        table.add(["bootstrap accuracy + macro-F1 (\(result.resamples) resamples)", seconds(result.bootstrapSeconds)])
        table.add(["paired bootstrap delta macro-F1 (\(result.resamples) resamples)", seconds(result.pairedBootstrapSeconds)])
        print(
            "\(result.predictions) synthetic predictions, 3 classes; accuracy \(formatFixed(result.accuracy, decimals: 4)), macro-F1 \(formatFixed(result.macroF1, decimals: 4))"
        )
        print(table.render())
    }
}
