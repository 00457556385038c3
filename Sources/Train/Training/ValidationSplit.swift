import DataPrep

/// What `--val-split` asks for: a split of the data by name, a fraction of the training split
/// to hold out, no validation, or the default.
public enum ValidationChoice: Equatable, Sendable {
    /// The data's `val` or `validation` split, else a carve of `ValidationSplit.defaultFraction`.
    case automatic
    case none
    /// A split of the data by name (`test` only this way, with a warning).
    case named(String)
    /// This fraction (0 < f < 1) of the training split, stratified by class and seeded.
    case carve(Double)

    /// Parses `--val-split`: `none`, a number in (0, 1), or a split name; nil is `automatic`.
    /// - Throws: `TrainError.invalidConfiguration` for a number outside (0, 1) (NaN and ±inf included).
    public init(parsing text: String?) throws(TrainError) {
        guard let text else { self = .automatic; return }
        if text == "none" { self = .none; return }
        if let fraction = Double(text) {
            guard fraction.isFinite, fraction > 0, fraction < 1 else {
                throw .invalidConfiguration(reason: "--val-split must be a split name, none, or a fraction between 0 and 1 (exclusive), got \(text)")
            }
            self = .carve(fraction)
            return
        }
        guard !text.isEmpty else { throw .invalidConfiguration(reason: "--val-split must name a split, a fraction or none") }
        self = .named(text)
    }
}

/// Where a run's validation samples come from, saved in every checkpoint (`validation`) so that
/// `--resume` validates on exactly the same samples and the report can say what it used.
public struct ValidationSource: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        /// A split of the data, used whole.
        case split
        /// Held out from the training split (`fraction`, `seed`).
        case carved
        /// No validation: the best checkpoint follows the training loss.
        case none
    }

    public var kind: Kind
    /// The split used (`split`) or carved from (`carved`).
    public var split: String?
    public var fraction: Double?
    public var seed: UInt64?
    /// Validation samples (0 for none).
    public var samples: Int

    public init(kind: Kind, split: String?, fraction: Double? = nil, seed: UInt64? = nil, samples: Int) {
        self.kind = kind; self.split = split; self.fraction = fraction; self.seed = seed; self.samples = samples
    }

    /// The choice that reproduces this source on `--resume`.
    public var choice: ValidationChoice {
        switch kind {
        case .split: return .named(split ?? "val")
        case .carved: return .carve(fraction ?? ValidationSplit.defaultFraction)
        case .none: return .none
        }
    }

    public var description: String {
        switch kind {
        case .split: return "split \(split ?? "?") (\(samples) samples)"
        case .carved:
            return "\(samples) samples carved from \(split ?? "train") (fraction \(fraction ?? 0), stratified by class, seed \(seed ?? 0))"
        case .none: return "none (the best checkpoint follows the training loss)"
        }
    }
}

/// The training and validation sets of a run, from the data's splits and `--val-split`.
public struct ValidationSplit: Sendable {
    /// The fraction carved from the training split when the data has no validation split.
    public static let defaultFraction = 0.1

    public var train: ImageDataset
    public var validation: ImageDataset?
    public var source: ValidationSource
    /// Said loudly by the CLI: validating on `test` picks the best checkpoint on the test set.
    public var warning: String?

    /// Resolves `choice` against `splits`.
    ///
    /// - Parameters:
    ///   - train: the training split's name (`all`, the only split of a lone batch file, stands
    ///     in for `train`).
    ///   - seed: the run's seed; a carve draws from `(seed, .validationCarve, class)`.
    ///   - spillDirectory: where a carve from a mapped training split (a `split` output's
    ///     `x.npy`) puts its two parts: gathered chunk by chunk into unlinked spill files there
    ///     and mapped, so carving a dataset larger than memory keeps the run's anonymous memory
    ///     a chunk wide. nil (or an in-memory split) gathers in memory. Same samples either way.
    /// - Throws: `TrainError.incompatibleData` naming the data's splits when a name is unknown,
    ///   or when a carve would leave the validation or training set empty.
    public init(splits: SplitDataset, train: String, choice: ValidationChoice, seed: UInt64, spillDirectory: String? = nil) throws {
        let names = splits.splits.map(\.name)
        let trainName = splits[train] != nil ? train : (names == ["all"] && train == "train" ? "all" : nil)
        guard let trainName, let trainSet = splits[trainName] else {
            throw TrainError.incompatibleData(reason: "no split named \(train) (the data has: \(names.joined(separator: ", "))); choose one with --train-split")
        }
        var resolved = choice
        if choice == .automatic {
            resolved = ["val", "validation"].first { $0 != trainName && splits[$0] != nil }.map { .named($0) } ?? .carve(Self.defaultFraction)
        }
        switch resolved {
        case .automatic, .none:
            (self.train, validation, source) = (trainSet, nil, ValidationSource(kind: .none, split: nil, samples: 0))
        case .named(let name):
            guard let v = splits[name] else {
                throw TrainError.incompatibleData(reason: "no split named \(name) (the data has: \(names.joined(separator: ", "))); "
                    + "--val-split takes a split name, a fraction of \(trainName) to hold out (e.g. 0.1), or none")
            }
            guard name != trainName else {
                throw TrainError.incompatibleData(reason: "--val-split \(name) is the training split; pass a fraction (e.g. 0.1) to hold part of it out")
            }
            (self.train, validation) = (trainSet, v)
            source = ValidationSource(kind: .split, split: name, samples: v.count)
            if name == "test" {
                warning = "WARNING: validating on the test split: the best checkpoint and early stopping are chosen on test data, "
                    + "so test results will be optimistic. Hold out part of train instead (--val-split 0.1)."
            }
        case .carve(let fraction):
            let (kept, held) = Self.carve(labels: trainSet.labels, classes: trainSet.classNames.count, fraction: fraction, seed: seed)
            guard !held.isEmpty, !kept.isEmpty else {
                throw TrainError.incompatibleData(reason: "\(trainName) has \(trainSet.count) samples: holding out \(fraction) of them "
                    + "leaves \(held.isEmpty ? "no validation" : "no training") samples (pass --val-split none or another fraction)")
            }
            if let spillDirectory, trainSet.storage.isMapped {
                (self.train, validation) = (try trainSet.gathering(kept, spillingInto: spillDirectory),
                                            try trainSet.gathering(held, spillingInto: spillDirectory))
            } else {
                (self.train, validation) = (trainSet.gathering(kept), trainSet.gathering(held))
            }
            source = ValidationSource(kind: .carved, split: trainName, fraction: fraction, seed: seed, samples: held.count)
        }
    }

    /// Which samples of a training split to keep and which to hold out: stratified by class.
    ///
    /// The held-out total is `round(fraction × count)` (at least 1), shared among the classes by
    /// largest remainder of `fraction × classCount` (ties to the lower class), never taking a
    /// class's last sample. Each class's samples are shuffled by the stream
    /// `(seed, .validationCarve, index: class)` and the first ones held out; both lists come back
    /// in source order. Depends only on the labels, the fraction and the seed.
    public static func carve(labels: [Int32], classes: Int, fraction: Double, seed: UInt64) -> (kept: [Int], held: [Int]) {
        precondition(fraction > 0 && fraction < 1, "fraction \(fraction) outside (0, 1)")
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, label) in labels.enumerated() { byClass[Int(label)].append(i) }
        let capacity = byClass.map { max(0, $0.count - 1) }
        let wanted = byClass.map { fraction * Double($0.count) }
        var counts = zip(wanted, capacity).map { min(Int($0.0.rounded(.down)), $0.1) }
        let total = min(max(1, Int((fraction * Double(labels.count)).rounded())), capacity.reduce(0, +))
        let order = (0..<classes).sorted { a, b in
            let ra = wanted[a] - wanted[a].rounded(.down), rb = wanted[b] - wanted[b].rounded(.down)
            return ra != rb ? ra > rb : a < b
        }
        var missing = total - counts.reduce(0, +)
        while missing > 0 {
            var placed = false
            for c in order where missing > 0 && counts[c] < capacity[c] { counts[c] += 1; missing -= 1; placed = true }
            if !placed { break }
        }
        var held: [Int] = []
        for (c, members) in byClass.enumerated() where counts[c] > 0 {
            var shuffled = members
            var generator = SeededGenerator(seed: seed, stream: StreamPurpose.validationCarve, index: c)
            generator.shuffle(&shuffled)
            held += shuffled.prefix(counts[c])
        }
        held.sort()
        let heldSet = Set(held)
        return ((0..<labels.count).filter { !heldSet.contains($0) }, held)
    }
}
