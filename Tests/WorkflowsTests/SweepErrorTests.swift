import DataPrep
import Foundation
import Testing
import TestSupport
import Train
import Workflows

/// A bad grid is reported before anything trains, naming the variant and the flag; a sweep
/// folder is refused when it is not ours or holds another sweep.
@Suite struct SweepErrorTests {
    private func plan(_ grids: [String], model: String? = SweepFixtures.template) throws -> SweepPlan {
        try SweepPlan(model: model, grid: SweepGrid(grids: grids), repeats: 1, seed: 5, trainOptions: SweepFixtures.options)
    }

    @Test func unknownNameNamesVariantAndFlag() {
        #expect(throws: SweepError.invalidSetting(variant: "filters=4,momentun=0.9", flag: "--momentun 0.9", reason: "unknown option --momentun")) {
            try plan(["filters=4", "momentun=0.9"])
        }
    }

    @Test func valueThatDoesNotParseNamesVariantAndFlag() {
        #expect(throws: SweepError.invalidSetting(variant: "filters=4,lr=0.01x", flag: "--lr 0.01x", reason: "not a positive number: 0.01x")) {
            try plan(["filters=4", "lr=0.01,0.01x"])
        }
    }

    @Test func placeholderValueThatDoesNotParseIsReported() {
        #expect { try plan(["filters=4,four"]) } throws: { error in
            guard case SweepError.invalidSetting(let variant, let flag, _) = error else { return false }
            return variant == "filters=four" && flag == "{filters}"
        }
    }

    @Test func unfilledPlaceholderNamesIt() {
        #expect(throws: SweepError.unfilledPlaceholder(variant: "lr=0.01", placeholder: "filters")) { try plan(["lr=0.01"]) }
    }

    @Test func malformedGrids() {
        #expect(throws: SweepError.invalidGrid(flag: "--grid lr", reason: "expected NAME=V1,V2,… (NAME=V1;V2;… when values hold commas, model=SPEC1;SPEC2 for whole specs)")) {
            try SweepGrid(grids: ["lr"])
        }
        #expect(throws: SweepError.invalidGrid(flag: "--grid lr=0.1,,0.2", reason: "an empty value (values are separated by ',')")) {
            try SweepGrid(grids: ["lr=0.1,,0.2"])
        }
        #expect(throws: SweepError.invalidGrid(flag: "--grid lr=0.2", reason: "lr is already swept by another --grid")) {
            try SweepGrid(grids: ["lr=0.1", "lr=0.2"])
        }
        #expect(throws: SweepError.invalidGrid(flag: "--grid seed=1,2", reason: "seeds are swept with --repeat K (seed, seed+1, …)")) {
            try SweepGrid(grids: ["seed=1,2"])
        }
        #expect(throws: SweepError.self) { try SweepGrid(grids: ["--lr=0.1"]) }
        #expect(throws: SweepError.invalidGrid(flag: "--grid threads=1,2", reason: "threads is the sweep's own option, not one to vary")) {
            try SweepGrid(grids: ["threads=1,2"])
        }
    }

    /// `--grid model=A;B` lists whole specs (depth); `;` also separates values holding commas.
    @Test func modelListAndSemicolonValues() throws {
        let deeper = "conv 2 3 same relu, conv 2 3 same relu, maxpool 2, flatten, dense 10 softmax"
        let plan = try plan(["model=\(WorkflowFixtures.spec);\(deeper)", "lr=0.01"], model: nil)
        #expect(plan.variants.map(\.name) == ["model=spec1,lr=0.01", "model=spec2,lr=0.01"])
        #expect(plan.variants.map(\.model) == [WorkflowFixtures.spec, deeper])
        let grid = try SweepGrid(grids: ["zoom-range=0.8,1.2;0.9,1.1"])
        #expect(grid.axes[0].values == ["0.8,1.2", "0.9,1.1"])
        #expect(try SweepPlan(model: "mlp", grid: SweepGrid(grids: ["model=mlp;\(deeper)"]), repeats: 1, seed: 1,
                              trainOptions: SweepFixtures.options).variants.map(\.name) == ["model=mlp", "model=spec2"])
    }

    /// `[LAYERS]*{depth}` repeats a block: a depth sweep over a count.
    @Test func depthPlaceholderRepeatsABlock() throws {
        let plan = try plan(["depth=1,3"], model: "[conv 2 3 same relu]*{depth}, maxpool 2, flatten, dense 10 softmax")
        #expect(plan.variants.map(\.model) == ["conv 2 3 same relu, maxpool 2, flatten, dense 10 softmax",
                                               "conv 2 3 same relu, conv 2 3 same relu, conv 2 3 same relu, maxpool 2, flatten, dense 10 softmax"])
        #expect { try self.plan(["depth=0"], model: "[conv 2 3 same relu]*{depth}, flatten, dense 10 softmax") } throws: { error in
            "\(error)".contains("variant depth=0: --model: a block [LAYERS]*N needs a count N in 1...1000, got '0")
        }
    }

    @Test func variantsFileIsOneMoreProductAxis() throws {
        let json = #"[{"lr": 0.01, "batch-size": 4}, {"lr": "0.001", "batch-size": 8}]"#
        let variants = try SweepGrid.variants(fromJSON: Array(json.utf8), path: "v.json")
        let grid = try SweepGrid(grids: ["filters=2,4"], variants: variants)
        #expect(grid.combinations.map { $0.values.map { "\($0.name)=\($0.value)" }.joined(separator: ",") }
                == ["filters=2,batch-size=4,lr=0.01", "filters=2,batch-size=8,lr=0.001", "filters=4,batch-size=4,lr=0.01", "filters=4,batch-size=8,lr=0.001"])
        #expect(throws: SweepError.invalidGrid(flag: "--variants v.json", reason: "expected a JSON list of objects NAME → string, number or boolean")) {
            try SweepGrid.variants(fromJSON: Array(#"{"lr": 1}"#.utf8), path: "v.json")
        }
        #expect(throws: SweepError.invalidGrid(flag: "--variants", reason: "filters is also swept by --grid")) {
            try SweepGrid(grids: ["filters=2"], variants: [SweepSettings([.init(name: "filters", value: "4")])])
        }
    }

    /// A folder we did not make is refused; a sweep is continued only with resume, and only
    /// when its recorded definition is the same; nothing is trained or written when refused.
    @Test func refusesForeignFoldersAndAnotherSweep() throws {
        let folder = try ScratchFolder.make("sweep-refuse")
        defer { ScratchFolder.remove(folder) }
        let foreign = folder + "/foreign"
        try FileIO.makeDirectories(foreign)
        try FileIO.writeAtomically(Array("mine".utf8), to: foreign + "/notes.txt")
        #expect { try SweepFixtures.workflow(grids: ["lr=0.01"], out: foreign).run() } throws: { error in
            "\(error)".contains("exists and is not a sweep (it holds notes.txt)")
        }
        #expect(try FileIO.listAll(foreign) == ["notes.txt"])

        let out = folder + "/sweep"
        _ = try SweepFixtures.workflow(grids: ["lr=0.01"], out: out).run()
        #expect { try SweepFixtures.workflow(grids: ["lr=0.01"], out: out).run() } throws: { "\($0)".contains("holds a sweep: continue it with --resume") }
        var other = try SweepFixtures.workflow(grids: ["lr=0.02"], out: out)
        other.resume = true
        #expect { try other.run() } throws: { error in
            guard case SweepError.outputRefused(_, let reason) = error else { return false }
            return reason.hasPrefix("holds another sweep: it differs in --grid/--variants")
        }
        #expect(try FileIO.listAll(out + "/runs") == ["lr=0.01"])
    }
}
