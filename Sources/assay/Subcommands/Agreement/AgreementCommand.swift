import ArgumentParser
import AssayCore
import AssayStore
import AssaySupport

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-annotator agreement per rubric criterion.",
        discussion: """
            For each criterion: the items scored by two or more annotators, percent agreement, \
            Cohen's kappa (plain, linear and quadratic weights; exactly two annotators), Fleiss' \
            kappa (items every annotator scored) and Krippendorff's alpha (nominal, ordinal, \
            interval; missing scores allowed). Adjudicated scores are left out. A coefficient that \
            has no value, for instance when every score is identical, is shown as undefined with \
            the reason.

            Example:
              assay agreement
              assay agreement --run 2 --criterion clarity --json
            """
    )

    /// Only the scores of these runs' predictions.
    @OptionGroup var runs: RunsOption

    @Option(help: "Only this criterion.")
    var criterion: String?

    @OptionGroup var output: JSONOption

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open()
        for id in runs.ids { _ = try store.runPredictions(runID: id) }
        let sheets = try store.criterionScores(runIDs: runs.ids, criterion: criterion)
        guard !sheets.isEmpty else {
            let scope =
                (criterion.map { " for criterion '\($0)'" } ?? "")
                + (runs.ids.isEmpty ? "" : " in run(s) \(runs.ids.map(String.init).joined(separator: ", "))")
            throw AssayError("no annotation scores\(scope); score predictions first (assay review --annotator NAME)")
        }
        let views = try sheets.map { sheet in
            AgreementView(sheet, try AgreementReport(criterion: sheet.criterion, coders: sheet.annotators, scores: sheet.values))
        }
        if output.json {
            try JSONOutput.print(views)
            return
        }
        let table = TextTable(header: [
            "criterion", "items", "coders", "agree", "kappa", "kappa lin", "kappa quad", "Fleiss", "alpha nom", "alpha ord", "alpha int",
        ])
        var reasons: [String] = []
        func cell(_ coefficient: AgreementView.Coefficient) -> String {
            if let value = coefficient.value { return formatFixed(value, decimals: 4) }
            let reason = coefficient.undefinedReason ?? "undefined"
            if !reasons.contains(reason) { reasons.append(reason) }
            return "undef.\(reasons.firstIndex(of: reason).map { $0 + 1 } ?? 0)"
        }
        for view in views {
            table.add([
                "\(view.rubric) \(view.rubricVersion) / \(view.criterion)", String(view.items), String(view.coders.count),
                cell(view.percentAgreement), cell(view.cohenKappa), cell(view.cohenKappaLinear), cell(view.cohenKappaQuadratic),
                cell(view.fleissKappa), cell(view.krippendorffAlphaNominal), cell(view.krippendorffAlphaOrdinal),
                cell(view.krippendorffAlphaInterval),
            ])
        }
        print(table.render())
        for (index, reason) in reasons.enumerated() {
            print("undef.\(index + 1): undefined, \(reason)")
        }
    }
}
