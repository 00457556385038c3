import DataPrep
import Foundation
import Testing
import TestSupport
import Train
import Workflows

/// `SweepWorkflow` and `SweepPlan` called directly on the MNIST fixture: run folders, the
/// summary against each run's own history, Keras's parameter counts, interruption and resume,
/// concurrency, and the errors of a bad grid.
@Suite struct SweepWorkflowTests {
    /// A 2x2 grid trains 4 run folders, each evaluated on the fixture's test split; every
    /// summary row holds its run's history.json figures at the lowest val_loss, exactly.
    @Test func twoByTwoGridMatchesEachRunsHistory() throws {
        let folder = try ScratchFolder.make("sweep-grid")
        defer { ScratchFolder.remove(folder) }
        let out = folder + "/sweep"
        let outcome = try SweepFixtures.workflow(grids: ["lr=0.01,0.001", "batch-size=4,8"], out: out).run()
        #expect(!outcome.interrupted && outcome.failed.isEmpty)
        let runs = try FileIO.listAll(out + "/runs").sorted()
        #expect(runs == ["lr=0.001,batch-size=4", "lr=0.001,batch-size=8", "lr=0.01,batch-size=4", "lr=0.01,batch-size=8"])
        let summary = try SweepFixtures.summary(out)
        #expect(summary.rows.count == 4 && summary.metric == "val_loss")
        #expect(summary.rows.map(\.rank) == [1, 2, 3, 4])
        for row in summary.rows {
            let run = out + "/runs/" + row.name
            #expect(row.runs == [run])
            #expect(row.settings.map(\.name) == ["lr", "batch-size"])
            let history = try JSONDecoder().decode([EpochRecord].self, from: Data(FileIO.read(run + "/history.json")))
            let best = history.min { $0.validationLoss! < $1.validationLoss! }!
            #expect(row.bestEpoch == Double(best.epoch))
            #expect(row.valLoss == best.validationLoss && row.valAccuracy == best.validationAccuracy)
            #expect(row.loss == best.loss && row.accuracy == best.accuracy && row.metricValue == best.validationLoss)
            let metrics = try JSONDecoder().decode(EvaluationMetrics.self, from: Data(FileIO.read(run + "/eval-mnist-test/metrics.json")))
            #expect(row.testAccuracy == metrics.accuracy && row.testLoss == metrics.loss && metrics.samples == 10)
            #expect(row.parameters == 7890 && row.seeds == 1 && row.std == nil)
        }
        let ranked = summary.rows.map(\.valLoss!)
        #expect(ranked == ranked.sorted())
        let csv = try String(decoding: FileIO.read(out + "/summary.csv"), as: UTF8.self).split(separator: "\n")
        #expect(csv.count == 5)
        #expect(csv[0] == "rank,name,lr,batch-size,parameters,seeds,best_epoch,loss,accuracy,val_loss,val_accuracy,test_loss,test_accuracy,wall_seconds")
        #expect(csv[1].hasPrefix("1,\"\(summary.rows[0].name)\",") && csv[1].contains(",\(summary.rows[0].valLoss!),"))
        // The Report half: both overlay charts (PNG and SVG) and the page listing every run in rank order.
        for chart in ["curves-val_loss", "curves-val_accuracy"] {
            #expect(try FileIO.read(out + "/" + chart + ".png").starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(chart)")
            #expect(try FileIO.read(out + "/" + chart + ".svg").starts(with: Array("<svg ".utf8)), "\(chart)")
        }
        let page = try String(decoding: FileIO.read(out + "/report.html"), as: UTF8.self)
        let positions = summary.rows.map { page.range(of: ">\($0.name)<")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted(), "\(positions)")
        #expect(page.contains("<figure class=\"chart\" id=\"curves-val_loss\"><svg "))
        let log = try String(decoding: FileIO.read(out + "/sweep.log"), as: UTF8.self)
        #expect(log.contains("[4 done, 0 running, 0 left] done ") && log.contains("start lr=0.01,batch-size=4"))
    }

    /// Keras's count for conv(f filters, 3x3, 1 channel) → maxpool 2 → flatten → dense 10 on
    /// 28x28x1: (3·3·1·f + f) + (14·14·f·10 + 10) = 1970·f + 10, i.e. 3950 for f = 2 and 15770 for f = 8.
    @Test func filterPlaceholderGivesKerasParameterCounts() throws {
        let folder = try ScratchFolder.make("sweep-filters")
        defer { ScratchFolder.remove(folder) }
        let out = folder + "/sweep"
        _ = try SweepFixtures.workflow(grids: ["filters=2,8"], model: SweepFixtures.template, out: out).run()
        let rows = try SweepFixtures.summary(out).rows.sorted { $0.name < $1.name }
        #expect(rows.map(\.name) == ["filters=2", "filters=8"])
        #expect(rows.map(\.parameters) == [3950, 15770])
        let info = try Checkpoint.loadInfo(from: out + "/runs/filters=8/best")
        #expect(info.model.layers.count == 4 && info.parameters == 15770)
    }

    /// A sweep stopped mid-way (the hook Ctrl-C drives) and resumed ends with the summary
    /// (wall times aside) and the weights of an uninterrupted sweep.
    @Test func interruptedSweepResumesToTheStraightSweep() throws {
        let folder = try ScratchFolder.make("sweep-resume")
        defer { ScratchFolder.remove(folder) }
        let grids = ["lr=0.01,0.001", "batch-size=4,8"]
        let straight = folder + "/straight"
        _ = try SweepFixtures.workflow(grids: grids, out: straight).run()

        let out = folder + "/sweep"
        let stopper = BatchStopper(after: 14)
        let stopped = try SweepFixtures.workflow(grids: grids, out: out, concurrency: 1).run(events: stopper.events)
        #expect(stopped.interrupted && stopped.table == nil)
        #expect(!FileIO.exists(out + "/summary.json"))
        let finished = try FileIO.listAll(out + "/runs").filter { FileIO.exists(out + "/runs/\($0)/sweep-variant.json") }
        // The first variant (lr=0.01, batch size 4: 5 steps an epoch) finished, the second stopped mid-way.
        #expect(finished == ["lr=0.01,batch-size=4"], "\(finished)")

        var resumed = try SweepFixtures.workflow(grids: grids, out: out)
        resumed.resume = true
        let outcome = try resumed.run()
        #expect(!outcome.interrupted)
        #expect(try SweepFixtures.timeless(SweepFixtures.summary(out)) == SweepFixtures.timeless(SweepFixtures.summary(straight)))
        #expect(try SweepFixtures.weights(out) == SweepFixtures.weights(straight))
        let log = try String(decoding: FileIO.read(out + "/sweep.log"), as: UTF8.self)
        #expect(log.contains("(resumed)") && log.contains("stopped ") && log.contains("interrupted: continue with --resume"))

        // Resuming a finished sweep trains nothing and writes the same summary.
        var again = try SweepFixtures.workflow(grids: grids, out: out)
        again.resume = true
        _ = try again.run()
        #expect(try SweepFixtures.timeless(SweepFixtures.summary(out)) == SweepFixtures.timeless(SweepFixtures.summary(straight)))
    }

    /// One variant at a time with one thread, or two at once: the same weights, byte for byte.
    @Test func concurrencyDoesNotChangeWeights() throws {
        let folder = try ScratchFolder.make("sweep-concurrency")
        defer { ScratchFolder.remove(folder) }
        _ = try SweepFixtures.workflow(grids: ["filters=2,4"], model: SweepFixtures.template, out: folder + "/one", threads: 1).run()
        _ = try SweepFixtures.workflow(grids: ["filters=2,4"], model: SweepFixtures.template, out: folder + "/two", threads: 2, concurrency: 2).run()
        let one = try SweepFixtures.weights(folder + "/one"), two = try SweepFixtures.weights(folder + "/two")
        #expect(one.count == 4 && one == two)
    }

    /// A variant whose loss diverges is listed as failed in summary.json, not ranked; the
    /// others are summarized.
    @Test func divergedVariantIsListedNotRanked() throws {
        let folder = try ScratchFolder.make("sweep-diverged")
        defer { ScratchFolder.remove(folder) }
        let out = folder + "/sweep"
        let outcome = try SweepFixtures.workflow(grids: ["l2=0,1e38"], out: out).run()
        #expect(outcome.table?.rows.map(\.name) == ["l2=0"])
        #expect(outcome.failed.keys.sorted() == ["l2=1e38"] && outcome.failed["l2=1e38"]!.contains("the weights diverged"))
        #expect(try SweepFixtures.summary(out).failed == outcome.failed)
        #expect(!FileIO.exists(out + "/runs/l2=1e38/sweep-variant.json"))
        let log = try String(decoding: FileIO.read(out + "/sweep.log"), as: UTF8.self)
        #expect(log.contains("[1 done, 1 failed, 0 running, 0 left] done l2=0") || log.contains("[1 done, 1 failed, 0 running, 0 left] stopped l2=1e38"))
    }

    /// `--repeat 2`: one row per variant, the mean of its two seeds and their sample std.
    @Test func repeatAveragesSeeds() throws {
        let folder = try ScratchFolder.make("sweep-repeat")
        defer { ScratchFolder.remove(folder) }
        let out = folder + "/sweep"
        _ = try SweepFixtures.workflow(grids: ["lr=0.01"], out: out, repeats: 2).run()
        #expect(try FileIO.listAll(out + "/runs").sorted() == ["lr=0.01,seed=5", "lr=0.01,seed=6"])
        let row = try #require(SweepFixtures.summary(out).rows.first)
        #expect(row.seeds == 2 && row.name == "lr=0.01")
        let losses = try ["5", "6"].map { seed -> Double in
            let history = try JSONDecoder().decode([EpochRecord].self, from: Data(FileIO.read("\(out)/runs/lr=0.01,seed=\(seed)/history.json")))
            return history.min { $0.validationLoss! < $1.validationLoss! }!.validationLoss!
        }
        #expect(row.valLoss == (losses[0] + losses[1]) / 2)
        #expect(abs(row.std!["val_loss"]! - abs(losses[0] - losses[1]) / 2.0.squareRoot()) < 1e-12)
        let csv = try String(decoding: FileIO.read(out + "/summary.csv"), as: UTF8.self)
        #expect(csv.hasPrefix("rank,name,lr,parameters,seeds,best_epoch,best_epoch_std,loss,loss_std,"))
    }
}

/// Asks training to stop once `after` batches have run over all variants.
final class BatchStopper: @unchecked Sendable {
    private let lock = NSLock()
    private var batches = 0
    private let limit: Int

    init(after limit: Int) { self.limit = limit }

    var events: WorkflowEvents {
        WorkflowEvents(train: TrainEvents(shouldStop: { [self] in
            lock.lock(); defer { lock.unlock() }
            batches += 1
            return batches > limit
        }))
    }
}
