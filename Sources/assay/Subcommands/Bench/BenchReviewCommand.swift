import ArgumentParser
import AssayBenchmarks
import AssayReview
import AssayStore
import Foundation

struct BenchReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Time rendering the next item and committing a score on a large generated database.",
        discussion: """
            Builds a temporary database (two runs over the same generated items, with annotations by two \
            other annotators on every tenth prediction) in one transaction, opens a blind shuffled review \
            session on it and times, per sample, rendering the next item (reading it and its scores, \
            formatting the text) and committing one score in its own transaction; commits alternate \
            between synchronous=FULL (fsync per commit, what review sessions use) and NORMAL (no fsync) \
            to show what the disk costs. As in the REPL, automatic checkpoints are off and a passive \
            checkpoint runs after each reply, while the annotator reads; its time is the last row. Build with -c release for meaningful numbers. The database is \
            deleted afterwards unless --keep is given.

            With --postgres, the generated study is also copied into that PostgreSQL database (which \
            must hold no study: create an empty one for it) and the same session is timed there, over \
            TCP, next to SQLite's figures; FULL and NORMAL become synchronous_commit on and off, and \
            the server checkpoints on its own.

            Example:
              assay bench review
              assay bench review --predictions 100000 --samples 500 --json
              createdb -h 127.0.0.1 bench && assay bench review --postgres postgres://$USER@127.0.0.1:5432/bench
            """
    )

    @Option(help: "How many predictions to generate (even: two runs).")
    var predictions = 1_000_000

    @Option(help: "How many items to score and time.")
    var samples = 2000

    @OptionGroup var rubric: RubricOption

    @Option(help: ArgumentHelp("Also time the session on this empty PostgreSQL database.", valueName: "url"))
    var postgres: String?

    @Flag(help: "Keep the generated database and print its path.")
    var keep = false

    @OptionGroup var output: JSONOption

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let path = folder.appendingPathComponent("bench.sqlite").path
        let definition = try rubric.definition(store: nil)
        let results = try ReviewBenchmark.run(
            predictions: predictions, samples: samples, databasePath: path,
            rubricDefinition: definition.text, postgres: try postgres.map { try PostgresAddress(parsing: $0) })
        if output.json {
            try JSONOutput.print(results)
            return
        }
        for result in results {
            let postgreSQL = result.store == "postgresql"
            print(postgreSQL ? "\nPostgreSQL \(result.databasePath)" : "SQLite \(result.databasePath)\(keep ? " (kept)" : "")")
            print(
                "database   \(result.predictions) predictions in \(result.runs) runs, \(result.databaseBytes / 1_000_000) MB, \(postgreSQL ? "copied" : "built") in \(String(format: "%.1f", result.buildSeconds)) s"
            )
            print("session    opened in \(String(format: "%.2f", result.openSeconds)) s; journal_mode=\(result.journalMode)")
            let table = TextTable(header: ["step", "samples", "p50 ms", "p99 ms", "max ms"])
            let steps =
                postgreSQL
                ? [
                    ("render next item", result.renderNextItem), ("commit score (synchronous_commit=on)", result.commitScore),
                    ("commit score (synchronous_commit=off)", result.commitScoreWithoutFsync),
                ]
                : [
                    ("render next item", result.renderNextItem), ("commit score (synchronous=FULL)", result.commitScore),
                    ("commit score (synchronous=NORMAL)", result.commitScoreWithoutFsync),
                    ("checkpoint while reading (not waited for)", result.upkeepWhileReading),
                ]
            for (name, summary) in steps {
                table.add([
                    name, "\(summary.samples)", String(format: "%.3f", summary.p50Ms), String(format: "%.3f", summary.p99Ms),
                    String(format: "%.3f", summary.maxMs),
                ])
            }
            print(table.render())
        }
    }
}
