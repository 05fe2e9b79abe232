import ArgumentParser

@main
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Measure what quantizing a language model costs and saves.",
        discussion: """
            Assay keeps datasets, models, runs, predictions, energy and carbon figures, and expert \
            scores in one study store: a SQLite file, or a PostgreSQL database that a team shares \
            (--db, else $ASSAY_DB, else ./assay.sqlite). assay db copy moves a study between the two.

            Example:
              assay dataset import samples/financial-sentences.csv --name samples
              assay model fetch smollm2-135m
              assay run --model smollm2-135m --dataset samples
              assay review --annotator alice
            """,
        version: "0.1.0",
        subcommands: AssaySubcommands.all
    )
}
