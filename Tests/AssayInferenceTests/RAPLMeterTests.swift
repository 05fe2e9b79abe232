import AssayCore
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

@testable import AssayInference

#if canImport(Glibc)
    import Glibc
#endif

/// The RAPL meter against a fixture powercap tree written the way Linux lays it out.
struct RAPLMeterTests {
    /// Two packages (package-1 about to wrap), a core subdomain, a psys domain, and package-0
    /// mirrored under intel-rapl-mmio.
    func fixture() throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix: "powercap")
        func zone(_ name: String, domain: String, energy: UInt64, range: UInt64) throws {
            try folder.write("\(name)/name", domain + "\n")
            try folder.write("\(name)/energy_uj", "\(energy)\n")
            try folder.write("\(name)/max_energy_range_uj", "\(range)\n")
        }
        try zone("intel-rapl:0", domain: "package-0", energy: 1_000, range: 262_143_328_850)
        try zone("intel-rapl:0:0", domain: "core", energy: 500, range: 262_143_328_850)
        try zone("intel-rapl:1", domain: "package-1", energy: 999_000, range: 1_000_000)
        try zone("intel-rapl:2", domain: "psys", energy: 7, range: 262_143_328_850)
        try zone("intel-rapl-mmio:0", domain: "package-0", energy: 1_000, range: 262_143_328_850)
        return folder
    }

    @Test func countsEachPackageOnceAndSkipsSubdomains() throws {
        let root = try fixture()
        let meter = try RAPLMeter(root: root.url.path)
        #expect(meter.domains.map(\.name) == ["package-0", "package-1"])
        #expect(meter.domains[0].folder.hasSuffix("/intel-rapl:0"))
    }

    @Test func measuresTheDifferenceAcrossAWrapAround() throws {
        let root = try fixture()
        let meter = try RAPLMeter(root: root.url.path)
        let measurement = try meter.start()
        try root.write("intel-rapl:0/energy_uj", "3001000\n")  // +3 J
        try root.write("intel-rapl:1/energy_uj", "500\n")  // wrapped: 1000 + 500 uJ
        try root.write("intel-rapl-mmio:0/energy_uj", "90000000\n")  // the mirror must not count
        try root.write("intel-rapl:0:0/energy_uj", "90000000\n")  // nor the core subdomain
        let result = try measurement.stop()
        #expect(abs(result.joules - 3.0015) < 1e-12)
        #expect(result.method == .rapl)
        #expect(result.constants["package_domains"] == 2)
        #expect(result.constants["package-1.max_energy_range_uj"] == 1_000_000)
        #expect(result.provenance.contains("package-1"))
        #expect(abs(result.kilowattHours - 3.0015 / 3_600_000) < 1e-18)
    }

    @Test func samplingKeepsCountThroughSeveralWraps() throws {
        let root = try fixture()
        let meter = try RAPLMeter(root: root.url.path)
        let measurement = try meter.start()
        // package-1 (range 1,000,000 uJ) runs 999,000 -> 400,000 -> 100,000 -> 900,000: two wraps.
        try root.write("intel-rapl:1/energy_uj", "400000\n")
        try measurement.sample()
        try root.write("intel-rapl:1/energy_uj", "100000\n")
        try measurement.sample()
        try root.write("intel-rapl:1/energy_uj", "900000\n")
        let result = try measurement.stop()
        // 401,000 + 700,000 + 800,000 uJ
        #expect(abs(result.joules - 1.901) < 1e-12)
    }

    @Test func aReadingAboveTheDeclaredRangeCountsFromZeroInsteadOfTrapping() {
        let domain = RAPLDomain(name: "package-0", folder: "/nowhere", maxEnergyRangeMicrojoules: 1_000)
        #expect(domain.microjoules(from: 900, to: 100) == 200)
        #expect(domain.microjoules(from: 5_000, to: 100) == 100)
    }

    @Test func anUnreadableCounterIsAnErrorNamingTheFile() throws {
        let root = try fixture()
        let counter = root.path("intel-rapl:1/energy_uj")
        try FileManager.default.removeItem(atPath: counter)
        try FileManager.default.createDirectory(atPath: counter, withIntermediateDirectories: false)
        do {
            _ = try RAPLMeter(root: root.url.path)
            Issue.record("a directory in place of energy_uj was accepted")
        } catch let error as AssayError {
            #expect(error.message.hasPrefix(counter + ": cannot read the RAPL energy counter"))
        }
        try FileManager.default.removeItem(atPath: counter)
        try FileManager.default.createSymbolicLink(atPath: counter, withDestinationPath: root.path("gone"))
        #expect(throws: AssayError.self) { try RAPLMeter(root: root.url.path) }
        // Automatic selection must report it too, not fall back to the estimate.
        var environment = EnergyMeterChoice.Environment()
        environment.powercapRoot = root.url.path
        #expect(throws: AssayError.self) { try EnergyMeterChoice.auto.makeMeter(environment: environment) }
    }

    @Test func permissionDeniedSaysSoAndHowToFixIt() {
        // chmod 000 does not stop root, so the errno-to-message step is checked directly.
        let message = RAPLDomain.readError("/sys/class/powercap/intel-rapl:0/energy_uj", EACCES).message
        #expect(message.contains("permission denied"))
        #expect(message.contains("chmod a+r /sys/class/powercap/intel-rapl:0/energy_uj"))
    }

    @Test func aMachineWithoutRAPLHasNoRAPLMeter() throws {
        let empty = try TemporaryFolder(prefix: "powercap-empty")
        #expect(throws: AssayError.self) { try RAPLMeter(root: empty.url.path) }
        #expect(throws: AssayError.self) { try RAPLMeter(root: empty.path("missing")) }
    }

    @Test func garbageInACounterIsRejected() throws {
        let root = try fixture()
        try root.write("intel-rapl:0/energy_uj", "lots\n")
        #expect(throws: AssayError.self) { try RAPLMeter(root: root.url.path) }
    }
}
