import DataPrep
import Foundation
import Train

/// `sweep`: trains every variant of a grid as an ordinary run folder `DIR/runs/NAME`, several
/// at once, evaluates each on the data's test split, and writes the ranked comparison
/// (`DIR/summary.csv`, `summary.json`, and the visuals). An interrupted sweep continues with
/// `resume`: finished variants are skipped, unfinished ones resume from their checkpoints.
public struct SweepWorkflow {
    public var definition: SweepDefinition
    public var plan: SweepPlan
    /// The sweep folder.
    public var out: String
    /// Continue the sweep recorded in `out`.
    public var resume = false
    /// Cores to fill: variants run `min(variants, threads)` at once, each with
    /// `threads / concurrent` threads, so the machine is full and not oversubscribed (the
    /// weights do not depend on either number).
    public var threads = Parallel.defaultThreads
    /// Variants at once; nil fills the cores as above.
    public var concurrency: Int?
    /// The split each finished variant is evaluated on, when the data has it (nil: none).
    public var testSplit: String? = "test"

    public init(definition: SweepDefinition, plan: SweepPlan, out: String) {
        self.definition = definition
        self.plan = plan
        self.out = out
    }

    /// How a sweep ended.
    public struct Outcome {
        /// Nil when it was interrupted before every variant finished (no summary then).
        public let table: ComparisonTable?
        /// Variants that stopped on a diverged loss (they are left out of the table): name → error.
        public let failed: [String: String]
        public let interrupted: Bool
    }

    public var runsDirectory: String { joinPath(out, "runs") }

    public func run(events: WorkflowEvents = .silent) throws -> Outcome {
        let setup = try prepareFolder(events: events)
        let share = try trainShare(setup.pending, of: setup, events: events, announce: "")
        if share.interrupted {
            setup.progress.say("interrupted: continue with --resume (finished variants are kept)")
            return Outcome(table: nil, failed: share.failed, interrupted: true)
        }
        return try summarize(setup, failed: share.failed)
    }

    /// What every phase of a sweep needs: the metric, whether the data has a test split, the
    /// grid's variants and which of them are still to train.
    struct Setup {
        let metric: EpochMetric
        let hasTest: Bool
        let variants: [SweepVariant]
        /// Indices into `variants`, in grid order.
        let pending: [Int]
        let progress: SweepProgress
    }

    /// Opens DATA, then makes (or, resuming, checks) the sweep folder when `creating`, and
    /// finds the variants left to train.
    func prepareFolder(events: WorkflowEvents, creating: Bool = true, rank: Int? = nil) throws -> Setup {
        let metric = try EpochMetric(parsing: definition.metric)
        // DATA is opened before DIR is made, so a mistyped path leaves no sweep behind.
        let hasTest = try testSplit.map { split in try DatasetSource.open(definition.data).listing().splits.contains { $0.name == split } } ?? false
        if creating {
            let continuing = try definition.prepare(out, resume: resume)
            if resume && !continuing { events.note("note: \(out) holds no sweep yet: starting it") }
            try FileIO.makeDirectories(runsDirectory)
            try FileIO.makeDirectories(joinPath(out, "logs"))
        }
        let variants = plan.variants
        let finished = try variants.map { try SweepVariantRecord.read(from: joinPath(runsDirectory, $0.name)) != nil }
        let pending = variants.indices.filter { !finished[$0] }
        let progress = try SweepProgress(directory: out, total: variants.count, alreadyDone: variants.count - pending.count,
                                         rank: rank, note: events.note)
        return Setup(metric: metric, hasTest: hasTest, variants: variants, pending: pending, progress: progress)
    }

    /// Trains the variants `share` (indices into `setup.variants`), several at once; every
    /// variant runs even when one fails, then the first failure (in grid order) is thrown.
    ///
    /// - Returns: the variants whose loss diverged (name → error), and whether any was interrupted.
    ///
    /// - Parameter beforeEach: called before each variant trains (an MPI rank's fault point).
    func trainShare(_ share: [Int], of setup: Setup, events: WorkflowEvents, announce prefix: String,
                    beforeEach: @escaping @Sendable () throws -> Void = {}) throws -> (failed: [String: String], interrupted: Bool) {
        let concurrent = max(1, min(concurrency ?? threads, share.count))
        let perVariant = max(1, threads / concurrent)
        setup.progress.say(prefix + "sweep of \(setup.variants.count) run(s) into \(runsDirectory): \(share.count) to train"
                           + "\(prefix.isEmpty ? "" : " here"), \(concurrent) at a time with \(perVariant) thread(s) each"
                           + (setup.hasTest ? "; each evaluated on \(testSplit!)" : ""))
        events.train.willTrain()
        let runner = VariantRunner(data: definition.data, runs: runsDirectory, logs: joinPath(out, "logs"), threads: perVariant,
                                   testSplit: setup.hasTest ? testSplit : nil, metric: setup.metric,
                                   shouldStop: events.train.shouldStop, progress: setup.progress)
        let variants = setup.variants
        let results = try VariantPool.run(count: share.count, workers: concurrent) { i in
            try beforeEach()
            return try runner.run(variants[share[i]])
        }.map { try $0.get() }
        let failed = Dictionary(uniqueKeysWithValues: zip(share, results).compactMap { i, result in
            result.failure.map { (variants[i].name, $0) }
        })
        return (failed, results.contains(where: \.interrupted))
    }

    /// Ranks every variant that did not fail and writes the summary and visuals.
    func summarize(_ setup: Setup, failed: [String: String]) throws -> Outcome {
        let entries = try setup.variants.filter { failed[$0.name] == nil }.map { variant in
            try RunRecord.read(directory: joinPath(runsDirectory, variant.name), name: variant.name)
        }
        let table = try ComparisonTable(runs: entries, metric: setup.metric)
        try table.write(to: out, failed: failed)
        try ComparisonVisuals.write(table: table, curves: ComparisonCurves(runs: entries), to: out)
        setup.progress.say("summary: \(joinPath(out, "summary.csv")); best: \(table.rows.first?.name ?? "-")")
        return Outcome(table: table, failed: failed, interrupted: false)
    }
}
