import DataPrep
import Foundation
import TestSupport
import Train
import Workflows

/// A sweep on the MNIST fixture (20 train + 10 test samples) with a test-side options maker:
/// the CLI parses settings with `train`'s own flags; here `lr`, `batch-size` and `l2` are enough.
enum SweepFixtures {
    static let template = "conv {filters} 3 same relu, maxpool 2, flatten, dense 10 softmax"

    struct SettingError: Error, CustomStringConvertible { let description: String }

    static func options(_ settings: SweepSettings) throws -> TrainSessionOptions {
        var options = WorkflowFixtures.trainOptions(out: "unused", epochs: 2)
        for setting in settings.values {
            switch setting.name {
            case "lr":
                guard let lr = Float(setting.value), lr > 0 else { throw SettingError(description: "not a positive number: \(setting.value)") }
                options.optimizer.learningRate = lr
            case "batch-size":
                guard let size = Int(setting.value), size > 0 else { throw SettingError(description: "not a positive integer: \(setting.value)") }
                options.batchSize = size
            case "l2":
                guard let l2 = Float(setting.value), l2 >= 0 else { throw SettingError(description: "not a number >= 0: \(setting.value)") }
                options.l2 = l2
            default: throw SettingError(description: "unknown option --\(setting.name)")
            }
        }
        return options
    }

    static func workflow(grids: [String], model: String? = WorkflowFixtures.spec, out: String, repeats: Int = 1,
                         threads: Int = 2, concurrency: Int? = nil) throws -> SweepWorkflow {
        let grid = try SweepGrid(grids: grids)
        let plan = try SweepPlan(model: model, grid: grid, repeats: repeats, seed: 5, trainOptions: options)
        let definition = SweepDefinition(data: WorkflowFixtures.mnist, model: model, grid: grid, repeats: repeats, seed: 5,
                                         trainArguments: ["--epochs", "2"], metric: "val_loss")
        var workflow = SweepWorkflow(definition: definition, plan: plan, out: out)
        (workflow.threads, workflow.concurrency) = (threads, concurrency)
        return workflow
    }

    static func summary(_ out: String) throws -> ComparisonTable.Summary {
        try JSONDecoder().decode(ComparisonTable.Summary.self, from: Data(FileIO.read(out + "/summary.json")))
    }

    /// Every run's weights (last and best), by run and file, to compare two sweeps byte for byte.
    static func weights(_ out: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for run in try FileIO.listAll(out + "/runs") where !run.hasPrefix(".") {
            for checkpoint in ["last", "best"] {
                result["\(run)/\(checkpoint)"] = try FileIO.read("\(out)/runs/\(run)/\(checkpoint)/model.safetensors")
            }
        }
        return result
    }

    /// The summary's rows without the wall times (which no two runs share) and with run
    /// folders relative to their sweep.
    static func timeless(_ summary: ComparisonTable.Summary) throws -> String {
        let rows = summary.rows.map { row -> ComparisonTable.Row in
            var row = row
            row.wallSeconds = 0
            row.runs = row.runs.map { String($0[$0.range(of: "/runs/")!.lowerBound...]) }
            row.std?["wall_seconds"] = nil
            return row
        }
        return String(decoding: try JSONEncoder.sortedPretty.encode(rows), as: UTF8.self)
    }
}
