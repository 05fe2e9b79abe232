import AssayCore
import AssayStore
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

@testable import AssayInference

struct EnergyMeterTests {
    @Test func theEstimateUsesCPUTimeAndStatesItsConstants() throws {
        let meter = try EstimatedEnergyMeter(wattsPerCore: 5)
        let measurement = try meter.start()
        var sink = 0.0
        for index in 0..<3_000_000 { sink += Double(index).squareRoot() }
        let result = try measurement.stop()
        #expect(sink > 0)
        #expect(result.method == .estimate)
        #expect(result.method.label == "estimated")
        let constants = result.constants
        #expect(constants["cpu_watts_per_core"] == 5)
        #expect(constants["memory_watts_per_gib"] == 0.3725)
        let cpuSeconds = try #require(constants["cpu_seconds"])
        let residentGiB = try #require(constants["resident_gib"])
        let wallSeconds = try #require(constants["wall_seconds"])
        #expect(cpuSeconds > 0 && residentGiB > 0)
        #expect(abs(result.joules - (cpuSeconds * 5 + residentGiB * 0.3725 * wallSeconds)) < 1e-12)
        #expect(result.provenance.contains("Green Algorithms"))
    }

    @Test func aWattsPerCoreOverrideMustBePositive() throws {
        #expect(throws: AssayError.self) { try EstimatedEnergyMeter(wattsPerCore: 0) }
        #expect(try EstimatedEnergyMeter(wattsPerCore: 4).wattsPerCoreSource == "given on the command line")
    }

    @Test func withoutTheNVIDIALibraryThereIsNoNVMLMeter() throws {
        do {
            _ = try NVMLMeter(library: "libnvidia-ml-absent.so.1")
            Issue.record("a missing NVML library was accepted")
        } catch let error as AssayError {
            #expect(error.message.hasPrefix("NVML unavailable: cannot load libnvidia-ml-absent.so.1"))
        }
        // A library that exists but is not NVML lacks the entry points.
        #expect(throws: AssayError.self) { try NVMLMeter(library: "libc.so.6") }
    }

    @Test func automaticSelectionFallsBackToTheEstimateWhenNothingIsThere() throws {
        let empty = try TemporaryFolder(prefix: "powercap-none")
        var environment = EnergyMeterChoice.Environment()
        environment.powercapRoot = empty.url.path
        environment.nvmlLibrary = "libnvidia-ml-absent.so.1"
        #expect(try EnergyMeterChoice.auto.makeMeter(environment: environment)?.method == .estimate)
        #expect(throws: AssayError.self) { try EnergyMeterChoice.rapl.makeMeter(environment: environment) }
        #expect(throws: AssayError.self) { try EnergyMeterChoice.nvml.makeMeter(environment: environment) }
    }
}

struct RunEnergyRecordTests {
    @Test func aSessionsEnergyIsStoredWithItsConstantsAndFactor() throws {
        let store = try AssayStore.inMemory()
        let runID = try StoreFixture.run(in: store)
        let measurement = EnergyMeasurement(
            joules: 7_200, durationSeconds: 60, method: .estimate,
            constants: ["cpu_watts_per_core": 10], provenance: "estimated: test")
        try store.savePredictions([], runID: runID, measuredSeconds: 60, energyKwh: 0.002)
        try CarbonSettings(region: "FR", emissionFactor: nil, source: nil, pue: 1.2)
            .record(EnergyTally(first: measurement, sharedBy: .latency), runID: runID, in: store)
        let run = try store.run(id: runID)
        #expect(run.energyKwh == 0.002)
        #expect(run.energyMethod == .estimate)
        #expect(run.emissionFactor == 56.039 && run.emissionRegion == "FR" && run.pue == 1.2)
        #expect(run.emissionFactorSource?.hasSuffix(", lifecycle, 2023") == true)
        #expect(abs((run.co2Grams ?? 0) - 0.002 * 56.039 * 1.2) < 1e-12)
        #expect(run.energyConstants?["cpu_watts_per_core"] == .number(10))
        #expect(run.energyConstants?["provenance"] == .text("estimated: test"))
        #expect(run.energyConstants?["joules"] == .number(7_200))
    }
}
