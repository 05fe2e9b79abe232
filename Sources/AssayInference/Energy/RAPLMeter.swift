import AssayCore
import AssaySupport
import Foundation

/// Measures CPU package energy with the RAPL counters that Linux exposes under powercap
/// (`/sys/class/powercap/intel-rapl:N`, used by both Intel and AMD packages).
///
/// Only package domains count (core, uncore and DRAM subdomains are parts of a package, or not
/// CPU); a package that appears twice, as with the MSR (`intel-rapl`) and MMIO
/// (`intel-rapl-mmio`) interfaces, is counted once, preferring the MSR interface.
public struct RAPLMeter: EnergyMeter {
    public static let defaultRoot = "/sys/class/powercap"

    public let method = EnergyMethod.rapl
    public let domains: [RAPLDomain]

    /// Finds the package domains under `root` and reads each counter once, so that an unreadable
    /// counter is reported now rather than after a run.
    public init(root: String = defaultRoot) throws {
        domains = try Self.packageDomains(under: root)
        guard !domains.isEmpty else {
            throw AssayError(
                "\(root): no RAPL package domain (intel-rapl:N with a name 'package-N'); this machine or VM does not expose RAPL, choose --energy estimate"
            )
        }
        for domain in domains { _ = try domain.readEnergy() }
    }

    public func start() throws -> EnergyMeasurementInProgress {
        let startedAt = ContinuousClock.now
        let domains = self.domains
        let accumulator = try RAPLAccumulator(domains: domains)
        return EnergyMeasurementInProgress(
            sample: { try accumulator.sample() },
            finish: {
                let microjoules = try accumulator.sample()
                let duration = ContinuousClock.now - startedAt
                var constants: [String: Double] = ["package_domains": Double(domains.count)]
                for domain in domains {
                    constants["\(domain.name).max_energy_range_uj"] = Double(domain.maxEnergyRangeMicrojoules)
                }
                return EnergyMeasurement(
                    joules: Double(microjoules) / 1_000_000,
                    durationSeconds: duration.secondsValue,
                    method: .rapl,
                    constants: constants,
                    provenance:
                        "RAPL package counters (energy_uj) of \(domains.map { "\($0.name) at \($0.folder)" }.joined(separator: ", ")), one wrap-around allowed between samples"
                )
            })
    }

    /// The package domains under `root`, one per distinct name.
    static func packageDomains(under root: String) throws -> [RAPLDomain] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        // Top-level zones only ("intel-rapl:0", "intel-rapl-mmio:0"), not subzones ("intel-rapl:0:1").
        let zones = entries.filter { $0.split(separator: ":").count == 2 }
            .sorted { (interfaceRank($0), $0) < (interfaceRank($1), $1) }
        var seen = Set<String>()
        var domains: [RAPLDomain] = []
        for zone in zones {
            let folder = root + "/" + zone
            guard let name = try? RAPLDomain.readSmallFile(folder + "/name").trimmingCharacters(in: .whitespacesAndNewlines),
                name.hasPrefix("package"), seen.insert(name).inserted
            else { continue }
            let range = try RAPLDomain.readCounter(folder + "/max_energy_range_uj")
            domains.append(RAPLDomain(name: name, folder: folder, maxEnergyRangeMicrojoules: range))
        }
        return domains
    }

    /// MSR zones first, so a package mirrored over MMIO is read through its MSR zone.
    private static func interfaceRank(_ zone: String) -> Int {
        zone.hasPrefix("intel-rapl-mmio") ? 1 : 0
    }
}
