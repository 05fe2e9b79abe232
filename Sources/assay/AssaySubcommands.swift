import ArgumentParser

/// Every top-level subcommand, in the order `assay --help` lists them: the study's flow from data
/// to paper, then the engine's own tools.
enum AssaySubcommands {
    static let all: [any ParsableCommand.Type] = [
        DatasetCommand.self,
        ModelCommand.self,
        RunCommand.self,
        PredictionsCommand.self,
        MetricsCommand.self,
        CompareCommand.self,
        ReviewCommand.self,
        AdjudicateCommand.self,
        AgreementCommand.self,
        ExportCommand.self,
        ReportCommand.self,
        FactorsCommand.self,
        QuantizeCommand.self,
        TokenizeCommand.self,
        GenerateCommand.self,
        DivergenceCommand.self,
        ImatrixCommand.self,
        DbCommand.self,
        DemoCommand.self,
        BenchCommand.self,
    ]
}
