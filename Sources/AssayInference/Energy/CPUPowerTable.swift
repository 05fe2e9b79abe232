/// Rated power per physical core for CPUs whose /proc/cpuinfo model name contains a known
/// part number: the vendor's TDP (Intel) or default TDP (AMD) divided by the core count, the
/// approach of the Green Algorithms calculator (Lannelongue et al., Advanced Science 2021).
public enum CPUPowerTable {
    public struct Entry: Sendable, Equatable {
        /// A fragment of the model name, e.g. "EPYC 9654".
        public let model: String
        public let thermalDesignPowerWatts: Double
        public let cores: Int

        public var wattsPerCore: Double { thermalDesignPowerWatts / Double(cores) }
    }

    /// Assay's assumption for a CPU missing from the table: 10 W per busy core, between the
    /// 4-6 W/core of large server parts and the 15-20 W/core of desktop parts.
    public static let defaultWattsPerCore = 10.0

    /// Vendor specification sheets (ark.intel.com, amd.com product pages).
    public static let entries: [Entry] = [
        Entry(model: "EPYC 9654", thermalDesignPowerWatts: 360, cores: 96),
        Entry(model: "EPYC 9554", thermalDesignPowerWatts: 360, cores: 64),
        Entry(model: "EPYC 7763", thermalDesignPowerWatts: 280, cores: 64),
        Entry(model: "EPYC 7742", thermalDesignPowerWatts: 225, cores: 64),
        Entry(model: "Platinum 8480+", thermalDesignPowerWatts: 350, cores: 56),
        Entry(model: "Platinum 8380", thermalDesignPowerWatts: 270, cores: 40),
        Entry(model: "Gold 6248R", thermalDesignPowerWatts: 205, cores: 24),
        Entry(model: "Ryzen 9 7950X", thermalDesignPowerWatts: 170, cores: 16),
        Entry(model: "i9-13900K", thermalDesignPowerWatts: 125, cores: 24),
        Entry(model: "i7-12700K", thermalDesignPowerWatts: 125, cores: 12),
    ]

    /// The entry whose fragment occurs in `modelName`, if any.
    public static func entry(forModelName modelName: String) -> Entry? {
        entries.first { modelName.contains($0.model) }
    }
}
