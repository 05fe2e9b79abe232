import ArgumentParser

/// Every top-level subcommand, in the order `assay --help` lists them.
enum AssaySubcommands {
    static let all: [any ParsableCommand.Type] = [
        DatasetCommand.self,
        ModelCommand.self,
        RunCommand.self,
        PredictionsCommand.self,
        MetricsCommand.self,
        CompareCommand.self,
        AgreementCommand.self,
        ReviewCommand.self,
        AdjudicateCommand.self,
        ExportCommand.self,
        ReportCommand.self,
        QuantizeCommand.self,
        TokenizeCommand.self,
        GenerateCommand.self,
        BenchCommand.self,
    ]
}
