import DataPrep
import Foundation
import Testing
import TestSupport

/// `dataprep sweep` and `dataprep compare` on the MNIST fixture, run as a user would: train
/// options swept through `train`'s own flags, bad grids (exit 64, nothing written), a sweep
/// killed at random moments and resumed, and a comparison of a sweep's runs.
@Suite(.serialized) struct SweepCommandTests {
    static let mnist = TestPaths.repositoryRoot + "/Fixtures/idx/mnist"
    static let template = "conv {filters} 3 same relu, maxpool 2, flatten, dense 10 softmax"

    static func sweep(_ extra: [String], out: String = "sweep") -> [String] {
        ["sweep", mnist, "--model", template, "--epochs", "2", "--batch-size", "8", "--seed", "5", "--threads", "2", "--out", out] + extra
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Any train flag sweeps: lr (an option), horizontal-flip (a flag: true gives it, false
    /// omits it) and the {filters} placeholder, 8 runs ranked in the JSON summary.
    @Test func sweepsTrainFlagsAndPlaceholders() throws {
        let dir = try ScratchFolder.make("cli-sweep")
        defer { ScratchFolder.remove(dir) }
        let result = try CommandRunner.run(Self.sweep(["--grid", "filters=2,4", "--grid", "lr=0.01,0.001", "--grid", "horizontal-flip=true,false",
                                                       "--json"], out: dir + "/sweep"))
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try Self.json(result.stdout)["rows"] as? [[String: Any]])
        #expect(rows.count == 8 && rows.map { $0["rank"] as? Int } == Array(1...8))
        let runs = try FileIO.listAll(dir + "/sweep/runs").filter { !$0.hasPrefix(".") }.sorted()
        #expect(runs.count == 8 && runs.contains("filters=4,lr=0.001,horizontal-flip=true"))
        #expect(FileIO.exists(dir + "/sweep/runs/filters=4,lr=0.001,horizontal-flip=true/augmentation.json"))
        #expect(!FileIO.exists(dir + "/sweep/runs/filters=4,lr=0.001,horizontal-flip=false/augmentation.json"))
        let params = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as! String, $0["parameters"] as! Int) })
        #expect(params["filters=2,lr=0.01,horizontal-flip=true"] == 3950 && params["filters=4,lr=0.01,horizontal-flip=false"] == 7890)
        #expect(result.stderr.contains("sweep of 8 run(s)") && result.stderr.contains("[8 done, 0 running, 0 left] done "))
        let csv = try String(decoding: FileIO.read(dir + "/sweep/summary.csv"), as: UTF8.self)
        #expect(csv.hasPrefix("rank,name,filters,lr,horizontal-flip,parameters,") && csv.split(separator: "\n").count == 9)

        // A sweep's run is an ordinary run: evaluate reads it.
        let evaluated = try CommandRunner.run(["evaluate", dir + "/sweep/runs/filters=2,lr=0.01,horizontal-flip=false", Self.mnist,
                                               "--out", dir + "/eval", "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")

        // compare reads the sweep's settings and test figures from its runs.
        let compared = try CommandRunner.run(["compare", dir + "/sweep/runs/filters=2,lr=0.01,horizontal-flip=false",
                                              dir + "/sweep/runs/filters=4,lr=0.01,horizontal-flip=false", "--metric", "val_accuracy",
                                              "--out", dir + "/cmp", "--json"])
        #expect(compared.status == 0, "\(compared.stderr)")
        let compareRows = try #require(try Self.json(compared.stdout)["rows"] as? [[String: Any]])
        #expect(compareRows.count == 2 && compareRows.allSatisfy { ($0["settings"] as? [Any])?.count == 3 && $0["testAccuracy"] != nil })
        #expect(FileIO.exists(dir + "/cmp/summary.csv"))
    }

    /// Exit 64 before anything is written, the message naming the variant and the flag.
    @Test func badGridsAreUsageErrors() throws {
        let dir = try ScratchFolder.make("cli-sweep-bad")
        defer { ScratchFolder.remove(dir) }
        let cases: [([String], String)] = [
            (["--grid", "filters=2", "--grid", "momentun=0.9"],
             "error: variant filters=2,momentun=0.9: --momentun 0.9: no train option --momentun and no {momentun} placeholder in the model spec"),
            (["--grid", "filters=2", "--grid", "lr=0.01,fast"], "error: variant filters=2,lr=fast: --lr fast: "),
            (["--grid", "filters=2", "--grid", "lr=-1"], "error: variant filters=2,lr=-1: --lr -1: --lr must be > 0 and finite, got -1.0"),
            (["--grid", "lr=0.01"], "error: variant lr=0.01: the model spec's {filters} has no value"),
            (["--grid", "filters=2", "--grid", "rotation-range"], "error: --grid rotation-range: expected NAME=V1,V2"),
        ]
        for (extra, message) in cases {
            let result = try CommandRunner.run(Self.sweep(extra, out: dir + "/sweep"))
            #expect(result.status == 64, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
            #expect(!FileIO.exists(dir + "/sweep"), "\(extra)")
        }
        let noGrid = try CommandRunner.run(Self.sweep([], out: dir + "/sweep"))
        #expect(noGrid.status == 64 && noGrid.stderr.contains("nothing to sweep"))
        let noData = try CommandRunner.run(["sweep", dir + "/absent", "--model", "mlp", "--grid", "lr=0.1", "--seed", "1", "--out", dir + "/sweep"])
        #expect(noData.status == 1 && noData.stderr.contains("absent"), "\(noData.stderr)")
        #expect(!FileIO.exists(dir + "/sweep"))
    }

    /// SIGKILL at seeded random moments, then the same command with --resume: the summary
    /// (wall times aside) and every run's weights equal an uninterrupted sweep's. A resume with
    /// another grid is refused (exit 1).
    @Test func killedSweepResumesToTheUninterruptedResult() throws {
        let arguments = Self.sweep(["--grid", "filters=2,4", "--grid", "lr=0.01,0.001"])
        let referenceDir = try ScratchFolder.make("cli-sweep-reference")
        defer { ScratchFolder.remove(referenceDir) }
        var first: CommandResult?
        let duration = try Robustness.timed { first = try Robustness.run(arguments, in: referenceDir) }
        #expect(first?.status == 0, "\(first?.stderr ?? "")")
        let reference = try Self.comparable(referenceDir + "/sweep")

        var generator = SeededGenerator(seed: 11)
        var interrupted = 0
        let iterations = min(Robustness.killIterations, 6)
        for iteration in 0..<iterations {
            let dir = try ScratchFolder.make("cli-sweep-kill")
            defer { ScratchFolder.remove(dir) }
            let delay = generator.nextDouble() * duration
            if try Robustness.runAndKill(arguments, in: dir, after: delay) { interrupted += 1 }
            let again = try Robustness.run(arguments + ["--resume"], in: dir)
            #expect(again.status == 0, "iteration \(iteration): \(again.stderr)")
            #expect(try Self.comparable(dir + "/sweep") == reference, "iteration \(iteration): killed at \(delay) s")
        }
        print("sweep: \(iterations) kills over \(String(format: "%.2f", duration)) s sweeps; \(interrupted) landed mid-run")
        #expect(interrupted > 0)

        let other = try Robustness.run(Self.sweep(["--grid", "filters=2,8", "--grid", "lr=0.01,0.001", "--resume"]), in: referenceDir)
        #expect(other.status == 1 && other.stderr.contains("holds another sweep: it differs in --grid/--variants"), "\(other.stderr)")
        let fresh = try Robustness.run(arguments, in: referenceDir)
        #expect(fresh.status == 1 && fresh.stderr.contains("holds a sweep: continue it with --resume"), "\(fresh.stderr)")
    }

    /// The summary without wall times, and every run's weights and history without timings.
    static func comparable(_ sweep: String) throws -> [String: String] {
        var result: [String: String] = [:]
        var summary = try Self.json(String(decoding: FileIO.read(sweep + "/summary.json"), as: UTF8.self))
        summary["rows"] = (summary["rows"] as? [[String: Any]])?.map { row in var row = row; row["wallSeconds"] = nil; return row }
        result["summary.json"] = String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self)
        for run in try FileIO.listAll(sweep + "/runs") where !run.hasPrefix(".") {
            for (file, digest) in try Robustness.comparableTree(sweep + "/runs/" + run)
            where file.hasSuffix(".safetensors") || file == "history.json" || file.hasSuffix("metrics.json") {
                result[run + "/" + file] = digest
            }
        }
        return result
    }
}
