import AssayCore
import AssayTestSupport
import Testing

@testable import AssayInference

/// The CPU matching rule on real /proc/cpuinfo "model name" lines (desktops, workstations, and
/// AWS, GCP and Azure instances), against rows of CodeCarbon 3.3.2's data/hardware/cpu_power.csv
/// read from the pinned wheel.
struct CPUPowerTableTests {
    static let matched: [(cpuinfo: String, row: String, watts: Double)] = [
        ("AMD EPYC 7763 64-Core Processor", "AMD EPYC 7763", 280),
        ("AMD EPYC 9654 96-Core Processor", "AMD EPYC 9654", 360),
        ("AMD EPYC 7R13 Processor", "AMD EPYC 7R13", 225),
        ("Intel(R) Xeon(R) Platinum 8480+", "Intel Xeon Platinum 8480+", 350),
        ("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "Intel Xeon Platinum 8375C", 300),
        ("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "Intel Xeon Gold 6248R", 205),
        ("Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", "Intel Xeon E5-2686 v4", 145),
        ("Intel(R) Xeon(R) CPU E5-2680 0 @ 2.70GHz", "Intel Xeon E5-2680", 130),
        ("12th Gen Intel(R) Core(TM) i7-12700K", "Intel Core i7-12700K", 190),
        ("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", "Intel Core i7-8700", 65),
        ("Intel(R) Core(TM) Ultra 7 155H", "Intel Core Ultra 7 155H", 28),
        ("AMD Ryzen 9 5950X 16-Core Processor", "AMD Ryzen 9 5950X", 105),
        ("AMD Ryzen 9 7950X3D 16-Core Processor", "AMD Ryzen 9 7950X3D", 120),
        ("AMD Ryzen 7 5800H with Radeon Graphics", "AMD Ryzen 7 5800H", 45),
        ("AMD Ryzen Threadripper PRO 5995WX 64-Cores", "AMD Ryzen Threadripper PRO 5995WX", 280),
    ]

    @Test(arguments: matched.map(\.cpuinfo))
    func realModelNamesFindTheirRow(_ cpuinfo: String) throws {
        let expected = try #require(Self.matched.first { $0.cpuinfo == cpuinfo })
        #expect(CPUPowerTable.lookup(modelName: cpuinfo) == .found(.init(modelName: expected.row, thermalDesignPowerWatts: expected.watts)))
    }

    @Test func namesWithoutAModelNumberOrMissingFromTheTableDoNotMatch() {
        #expect(CPUPowerTable.lookup(modelName: "AMD EPYC") == .noModelNumber)
        #expect(CPUPowerTable.lookup(modelName: "Intel(R) Xeon(R) CPU @ 2.20GHz") == .noModelNumber)
        #expect(CPUPowerTable.lookup(modelName: "AMD EPYC 7B13") == .notListed)
        #expect(CPUPowerTable.lookup(modelName: "QEMU Virtual CPU version 2.5+") == .notListed)
        // A near model number is another part: 8380 is not 8380H, 7950X is not 7950X3D.
        #expect(
            CPUPowerTable.lookup(modelName: "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz")
                == .found(.init(modelName: "Intel Xeon Platinum 8380", thermalDesignPowerWatts: 270)))
        #expect(
            CPUPowerTable.lookup(modelName: "AMD Ryzen 9 7950X 16-Core Processor")
                == .found(.init(modelName: "AMD Ryzen 9 7950X", thermalDesignPowerWatts: 170)))
    }

    @Test func theTableHoldsCodeCarbonsRows() {
        #expect(CPUPowerTable.entries.count == 4904)
        #expect(CPUPowerTable.entries.allSatisfy { $0.thermalDesignPowerWatts > 0 && !$0.modelName.isEmpty })
    }

    static func cpuinfo(model: String?, cores: Int, hypervisor: Bool) -> String {
        var text = "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
        if let model { text += "model name\t: \(model)\n" }
        text += "cpu cores\t: \(cores)\nflags\t\t: fpu vme sse2 avx2\(hypervisor ? " hypervisor" : "") rdrand\n\n"
        return text
    }

    @Test func wattsPerCoreSayWhatMatchedAndWhereTheCoresCameFrom() throws {
        let epyc = CPUPowerTable.wattsPerCore(
            for: CPUInfo(text: Self.cpuinfo(model: "AMD EPYC 7763 64-Core Processor", cores: 2, hypervisor: true)))
        #expect(epyc.watts == 280.0 / 64)
        #expect(
            epyc.explanation
                == "AMD EPYC 7763 64-Core Processor matched 'AMD EPYC 7763' in CodeCarbon 3.3.2 data/hardware/cpu_power.csv, TDP 280 W / 64 cores (from the model name)"
        )

        let bareXeon = CPUPowerTable.wattsPerCore(
            for: CPUInfo(text: Self.cpuinfo(model: "Intel(R) Xeon(R) Platinum 8480+", cores: 56, hypervisor: false)))
        #expect(bareXeon.watts == 350.0 / 56)
        #expect(bareXeon.explanation.hasSuffix("TDP 350 W / 56 cores (cpu cores in /proc/cpuinfo)"))

        // In a VM, "cpu cores" is the guest's: 350 W over 4 virtual cores would be 87 W a core.
        let virtualXeon = CPUPowerTable.wattsPerCore(
            for: CPUInfo(text: Self.cpuinfo(model: "Intel(R) Xeon(R) Platinum 8480+", cores: 4, hypervisor: true)))
        #expect(virtualXeon.watts == CPUPowerTable.defaultWattsPerCore)
        #expect(
            virtualXeon.explanation.contains("matched 'Intel Xeon Platinum 8480+'")
                && virtualXeon.explanation.hasSuffix("default 10 W per busy core"))
    }

    @Test func unpricedCPUsGetTheLabelledDefault() throws {
        let cases: [(model: String?, label: String)] = [
            (
                "AMD EPYC",
                "AMD EPYC has no model number to look up in CodeCarbon 3.3.2 data/hardware/cpu_power.csv (virtual machines often hide it): default 10 W per busy core"
            ),
            ("AMD EPYC 7B13", "AMD EPYC 7B13 is not in CodeCarbon 3.3.2 data/hardware/cpu_power.csv: default 10 W per busy core"),
            (nil, "no model name in /proc/cpuinfo: default 10 W per busy core"),
        ]
        for (model, label) in cases {
            let choice = CPUPowerTable.wattsPerCore(for: CPUInfo(text: Self.cpuinfo(model: model, cores: 2, hypervisor: true)))
            #expect(choice.watts == 10)
            #expect(choice.explanation == label)
        }
        #expect(CPUInfo(path: "/nonexistent/cpuinfo") == CPUInfo(text: ""))
    }

    @Test func theEstimateStoresWhatMatchedAndStaysLabelledEstimated() throws {
        let folder = try TemporaryFolder(prefix: "cpuinfo")
        let path = try folder.write("cpuinfo", Self.cpuinfo(model: "AMD EPYC 7763 64-Core Processor", cores: 2, hypervisor: true))
        let meter = try EstimatedEnergyMeter(cpuinfoPath: path)
        #expect(meter.wattsPerCore == 280.0 / 64)
        let measurement = try meter.start().stop()
        #expect(measurement.method.label == "estimated")
        #expect(measurement.constants["cpu_watts_per_core"] == 280.0 / 64)
        #expect(measurement.provenance.hasPrefix("estimated: "))
        #expect(
            measurement.provenance.contains("matched 'AMD EPYC 7763' in CodeCarbon 3.3.2 data/hardware/cpu_power.csv, TDP 280 W / 64 cores")
        )
    }
}
