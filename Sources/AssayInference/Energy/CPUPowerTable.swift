import AssayCore
import AssaySupport

/// The thermal design power (TDP) of about 4,900 CPU models, from CodeCarbon 3.3.2's
/// data/hardware/cpu_power.csv (generated into `CPUPowerTable+Data.swift` by
/// scripts/generate-carbon-tables.py), and the rule that finds a /proc/cpuinfo model name in it.
///
/// Watts per busy core are the TDP divided by the part's cores, the approach of the Green
/// Algorithms calculator (Lannelongue et al., Advanced Science 2021).
public enum CPUPowerTable {
    public struct Entry: Sendable, Equatable {
        /// The model as CodeCarbon lists it, e.g. "AMD EPYC 7763".
        public let modelName: String
        public let thermalDesignPowerWatts: Double
    }

    /// What looking a model name up found.
    public enum Lookup: Sendable, Equatable {
        case found(Entry)
        /// The name has no model number, e.g. "AMD EPYC" or "Intel(R) Xeon(R) CPU @ 2.20GHz" on some VMs.
        case noModelNumber
        case notListed
        /// Several entries fit equally well and disagree on the TDP.
        case ambiguous([Entry])
    }

    public static let source = "CodeCarbon 3.3.2 data/hardware/cpu_power.csv"

    /// Assay's assumption for a CPU the table cannot price: 10 W per busy core, between the
    /// 4-6 W/core of large server parts and the 15-20 W/core of desktop parts.
    public static let defaultWattsPerCore = 10.0

    public static let entries: [Entry] = generatedRows.split(separator: "\n").map { line in
        let fields = line.split(separator: "\t")
        guard fields.count == 2, let watts = Double(fields[1]) else {
            preconditionFailure("CPUPowerTable+Data.swift is malformed at '\(line)'; rerun scripts/generate-carbon-tables.py")
        }
        return Entry(modelName: String(fields[0]), thermalDesignPowerWatts: watts)
    }

    /// The matching rule. Both names are reduced to `ModelNameTokens` (vendor marks, clock
    /// speed, "CPU", "Processor", core counts and generation prefixes dropped); an entry fits a
    /// name when the name holds all of the entry's words, exactly the same model numbers (words
    /// with a digit: "7763", "8480+", "I7-12700K", "V4") and the same vendor. The fitting entry
    /// with the most words wins ("AMD Ryzen 7 PRO 4750U" over "AMD Ryzen 7 4750U" for a PRO part).
    /// "AMD EPYC" alone, with no model number, fits nothing.
    public static func lookup(modelName: String) -> Lookup {
        let name = ModelNameTokens(modelName)
        guard !name.modelNumbers.isEmpty else { return .noModelNumber }
        let fitting = indexedEntries.filter { entry, tokens in
            tokens.modelNumbers == name.modelNumbers && tokens.vendors == name.vendors && tokens.words.isSubset(of: name.words)
        }
        guard let longest = fitting.map(\.tokens.words.count).max() else { return .notListed }
        let best = fitting.filter { $0.tokens.words.count == longest }.map(\.entry)
        if Set(best.map(\.thermalDesignPowerWatts)).count > 1 { return .ambiguous(best) }
        return .found(best[0])
    }

    /// Watts per busy core for `cpu`, and a sentence saying what matched and where each number
    /// came from; the default, labelled, when the table or the core count cannot give them.
    public static func wattsPerCore(for cpu: CPUInfo) -> (watts: Double, explanation: String) {
        let fallback = "default \(formatFixed(defaultWattsPerCore, decimals: 0)) W per busy core"
        guard let modelName = cpu.modelName else {
            return (defaultWattsPerCore, "no model name in /proc/cpuinfo: \(fallback)")
        }
        let entry: Entry
        switch lookup(modelName: modelName) {
        case .found(let found): entry = found
        case .noModelNumber:
            return (
                defaultWattsPerCore,
                "\(modelName) has no model number to look up in \(source) (virtual machines often hide it): \(fallback)"
            )
        case .notListed:
            return (defaultWattsPerCore, "\(modelName) is not in \(source): \(fallback)")
        case .ambiguous(let entries):
            let listed = entries.map { "\($0.modelName) \(formatFixed($0.thermalDesignPowerWatts, decimals: 0)) W" }.joined(separator: ", ")
            return (defaultWattsPerCore, "\(modelName) fits several rows of \(source) with different TDPs (\(listed)): \(fallback)")
        }
        let matched =
            "\(modelName) matched '\(entry.modelName)' in \(source), TDP \(formatFixed(entry.thermalDesignPowerWatts, decimals: 0)) W"
        if let cores = ModelNameTokens(modelName).cores {
            return (entry.thermalDesignPowerWatts / Double(cores), "\(matched) / \(cores) cores (from the model name)")
        }
        if let cores = cpu.coresPerPackage, !cpu.underHypervisor {
            return (entry.thermalDesignPowerWatts / Double(cores), "\(matched) / \(cores) cores (cpu cores in /proc/cpuinfo)")
        }
        return (defaultWattsPerCore, "\(matched), but the part's core count is unknown (a virtual machine reports its own): \(fallback)")
    }

    private static let indexedEntries: [(entry: Entry, tokens: ModelNameTokens)] = entries.map { ($0, ModelNameTokens($0.modelName)) }
}
