// train-bench: training-step and inference throughput of the presets, `--side-by-side` (ours and
// PyTorch's torch_bench.py interleaved on this machine: the only source of ratios), and
// `--mnist-accuracy`: the real-data accuracy run.
// Release builds only: swift build -c release --product train-bench.
// Options: --seconds S, --model NAME[,NAME], --thr 1[,2], --no-inference, --profile (per-layer
// forward/backward ms, GEMM and optimizer time per step), --side-by-side [--rounds R] [--json],
// --l1 KB (cut convolutions as a CPU with that L1d would: to measure the tile rule), --conv
// byShape|im2col|winograd and --wblock KB (force a convolution algorithm / Winograd block size).
import DataPrep
import Foundation
import Train

/// A preset at torch_bench.py's batch size. PyTorch figures are never stored here: ratios come
/// only from `--side-by-side`, which measures both in the same sitting on this machine.
struct Case {
    let preset: ModelPreset
    let batch: Int
}

let cases = [Case(preset: .fashionAlexnet, batch: 128), Case(preset: .cifarCNN, batch: 32),
             Case(preset: .dogsCatsCNN, batch: 32), Case(preset: .mlp, batch: 128)]

func seconds() -> Double { Date().timeIntervalSince1970 }

/// CPU seconds of the whole process (all threads): on a shared, loaded machine this moves far
/// less than wall time, so A/B comparisons of a kernel change read it beside samples/s.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func randomBatch(_ shape: TensorShape, capacity: Int, classes: Int, seed: UInt64) -> Batch {
    var batch = Batch(capacity: capacity, height: shape.height, width: shape.width, channels: shape.channels)
    var g = SeededGenerator(seed: seed)
    for i in batch.images.indices { batch.images[i] = Float(g.nextGaussian()) }
    for i in 0..<capacity { batch.labels[i] = Int32(g.nextInt(below: classes)) }
    batch.count = capacity
    return batch
}

/// Median of 3 timed runs of ~`budget` seconds each after warm-up; returns (samples/s, GEMM
/// share, CPU ms per step of the fastest run).
func measureTraining(_ c: Case, threads: Int, budget: Double) throws -> (Double, Double, Double) {
    let net = try Network(spec: c.preset.spec, input: c.preset.input, seed: 1, threads: threads, tuning: tuning)
    let loss = Loss.matching(activation: net.outputActivation, outputs: net.outputShape.count)!
    let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: c.batch, optimizer: OptimizerConfig(kind: .adam),
                                                                   seed: 1, loss: loss, blockSize: blockSize(batch: c.batch)))
    let classes = max(2, net.outputShape.count)
    let batches = (0..<4).map { randomBatch(c.preset.input, capacity: c.batch, classes: classes, seed: UInt64($0)) }
    for i in 0..<5 { _ = try trainer.trainStep(batches[i % 4], learningRate: 0.001) }
    var t = seconds()
    for i in 0..<3 { _ = try trainer.trainStep(batches[i % 4], learningRate: 0.001) }
    let steps = max(5, Int(budget / ((seconds() - t) / 3)))
    let clock = GEMMClock()
    net.gemmClock = clock
    var rates: [(Double, Double)] = []
    var cpu = Double.infinity
    for _ in 0..<3 {
        clock.reset()
        t = seconds()
        let cpu0 = cpuSeconds()
        for i in 0..<steps { _ = try trainer.trainStep(batches[i % 4], learningRate: 0.001) }
        let elapsed = seconds() - t
        cpu = min(cpu, (cpuSeconds() - cpu0) * 1000 / Double(steps))
        rates.append((Double(steps * c.batch) / elapsed, Double(clock.nanoseconds) / 1e9 / elapsed))
    }
    rates.sort { $0.0 < $1.0 }
    return (rates[1].0, rates[1].1, cpu)
}

func measureInference(_ preset: ModelPreset, batch: Int, threads: Int, budget: Double) throws -> Double {
    let net = try Network(spec: preset.spec, input: preset.input, seed: 1, threads: threads, tuning: tuning)
    let b = randomBatch(preset.input, capacity: batch, classes: 2, seed: 9)
    let run = { b.images.withUnsafeBufferPointer { _ = net.forward($0.baseAddress!, batch: batch, mode: .inference) } }
    for _ in 0..<3 { run() }
    var t = seconds()
    for _ in 0..<3 { run() }
    let steps = max(5, Int(budget / ((seconds() - t) / 3)))
    var rates: [Double] = []
    for _ in 0..<3 {
        t = seconds()
        for _ in 0..<steps { run() }
        rates.append(Double(steps * batch) / (seconds() - t))
    }
    return rates.sorted()[1]
}

/// `--profile`: per-layer forward/backward milliseconds per step, optimizer and GEMM share.
func profile(_ c: Case, threads: Int, budget: Double) throws {
    let net = try Network(spec: c.preset.spec, input: c.preset.input, seed: 1, threads: threads, tuning: tuning)
    let loss = Loss.matching(activation: net.outputActivation, outputs: net.outputShape.count)!
    let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 1, batchSize: c.batch, optimizer: OptimizerConfig(kind: .adam),
                                                                   seed: 1, loss: loss, blockSize: blockSize(batch: c.batch)))
    let classes = max(2, net.outputShape.count)
    let batches = (0..<4).map { randomBatch(c.preset.input, capacity: c.batch, classes: classes, seed: UInt64($0)) }
    for i in 0..<5 { _ = try trainer.trainStep(batches[i % 4], learningRate: 0.001) }
    let p = LayerProfile(layers: net.layerTexts.count), clock = GEMMClock()
    net.profile = p; net.gemmClock = clock
    let t = seconds()
    var steps = 0
    while seconds() - t < budget { _ = try trainer.trainStep(batches[steps % 4], learningRate: 0.001); steps += 1 }
    let total = (seconds() - t) * 1000 / Double(steps)
    func ms(_ ns: UInt64) -> String { f(Double(ns) / 1e6 / Double(steps), 2) }
    print("\n\(c.preset.rawValue) b\(c.batch) thr \(threads): \(f(total, 2)) ms/step, GEMM \(ms(clock.nanoseconds)) ms, optimizer \(ms(p.optimizerNanoseconds)) ms")
    print("| layer | forward ms | backward ms |\n|---|---|---|")
    for (i, text) in net.layerTexts.enumerated() { print("| \(i) \(text) | \(ms(p.forwardNanoseconds[i])) | \(ms(p.backwardNanoseconds[i])) |") }
}

func f(_ x: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", x) }

func benchmark(budget: Double) throws {
    print("\(cpuName()); \(tuning)")
    print("Training step (forward + loss + backward + Adam), random data, median of 3 runs of ~\(f(budget, 1)) s. GFLOP/s = samples/s x 3 x forward FLOPs.")
    print("| model | batch | thr | samples/s | ms/step | CPU ms/step | GFLOP/s | GEMM share |")
    print("|---|---|---|---|---|---|---|---|")
    for c in selectedCases {
        let flops = Double(try Network(spec: c.preset.spec, input: c.preset.input, seed: 0).forwardFLOPs)
        for threads in threadCounts {
            let (rate, share, cpu) = try measureTraining(c, threads: threads, budget: budget)
            print("| \(c.preset.rawValue) | \(c.batch) | \(threads) | \(f(rate)) | \(f(Double(c.batch) / rate * 1000, 2)) | \(f(cpu, 2)) | \(f(rate * 3 * flops / 1e9, 1)) | \(f(share * 100))% |")
        }
    }
    print("\nInference (mode .inference), batch as above:")
    print("| model | batch | thr | samples/s |")
    print("|---|---|---|---|")
    for c in selectedCases where !skipInference {
        for threads in threadCounts {
            let rate = try measureInference(c.preset, batch: c.batch, threads: threads, budget: budget / 2)
            print("| \(c.preset.rawValue) | \(c.batch) | \(threads) | \(f(rate)) |")
        }
    }
}

func mnistAccuracy(threads: Int, seeds: [UInt64]) throws {
    let path = CommandLine.arguments.drop { $0 != "--data" }.dropFirst().first ?? "../shared/data/mnist"
    let data = try LoadedDataset.load(path: path)
    guard let train = data.splits["train"], let test = data.splits["test"] else { print("no train/test split in \(path)"); return }
    for seed in seeds {
        let net = try Network(spec: ModelPreset.fashionAlexnet.spec, input: ModelPreset.fashionAlexnet.input, seed: seed, threads: threads)
        let trainer = try Trainer(network: net, config: TrainingConfig(epochs: 2, batchSize: 128, optimizer: OptimizerConfig(kind: .adam, learningRate: 1e-3),
                                                                       seed: seed, loss: .sparseCategoricalCrossEntropy))
        var source = ArrayBatchSource(dataset: train, shuffleSeed: seed)
        var validation: ArrayBatchSource? = ArrayBatchSource(dataset: test)
        _ = try trainer.fit(training: &source, validation: &validation, onEpoch: { r, _ in
            print("seed \(seed) epoch \(r.epoch): train \(f(r.seconds, 1)) s (\(f(r.samplesPerSecond)) samples/s), loss \(f(r.loss, 4)), test accuracy \(f(r.validationAccuracy! * 100, 2))%")
        })
    }
}

let arguments = CommandLine.arguments
/// `--model NAME[,NAME]` limits the run to some presets, `--thr 1[,2]` to some thread counts,
/// `--no-inference` skips the inference table: for profiling one case at a time.
let selectedCases: [Case] = {
    guard let list = arguments.drop(while: { $0 != "--model" }).dropFirst().first else { return cases }
    let names = list.split(separator: ",").map(String.init)
    return cases.filter { names.contains($0.preset.rawValue) }
}()
let threadCounts = arguments.drop { $0 != "--thr" }.dropFirst().first.map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, 2]
let skipInference = arguments.contains("--no-inference")
let threads = arguments.drop { $0 != "--threads" }.dropFirst().first.flatMap { Int($0) } ?? 2
/// This machine's cuts, or with `--l1 KB` those of a CPU with that L1d (same L2, same cores).
/// `--conv byShape|im2col|winograd` forces a convolution algorithm and `--wblock KB` a
/// Winograd block size (to measure the rule in `ConvAlgorithm` and the block size).
let tuning: KernelTuning = {
    var tuning = KernelTuning.host
    if let kb = arguments.drop(while: { $0 != "--l1" }).dropFirst().first.flatMap({ Int($0) }), kb > 0 {
        tuning = KernelTuning(caches: CPUCaches(l1Data: kb << 10, l2: tuning.caches.l2, l3: tuning.caches.l3), processors: tuning.processors)
    }
    if let choice = arguments.drop(while: { $0 != "--conv" }).dropFirst().first.flatMap(ConvAlgorithmChoice.init(rawValue:)) {
        tuning.convolutions = choice
    }
    if let kb = arguments.drop(while: { $0 != "--wblock" }).dropFirst().first.flatMap({ Int($0) }), kb > 0 {
        tuning.winogradBlockFloats = (kb << 10) / MemoryLayout<Float>.size
    }
    return tuning
}()
/// `--block N` (samples per gradient block; 0 = the whole batch as one block), else the standard size.
func blockSize(batch: Int) -> Int {
    guard let n = arguments.drop(while: { $0 != "--block" }).dropFirst().first.flatMap({ Int($0) }) else { return SampleBlocks.standardSize }
    return n == 0 ? batch : n
}
let budget = arguments.drop { $0 != "--seconds" }.dropFirst().first.flatMap { Double($0) } ?? 2.0
if arguments.contains("--mnist-accuracy") {
    let seeds = arguments.drop { $0 != "--seeds" }.dropFirst().first.map { $0.split(separator: ",").compactMap { UInt64($0) } } ?? [0]
    try mnistAccuracy(threads: threads, seeds: seeds)
} else if arguments.contains("--profile") {
    print("\(cpuName()); \(tuning)")
    for c in selectedCases { for t in threadCounts { try profile(c, threads: t, budget: budget) } }
} else if arguments.contains("--side-by-side") {
    let rounds = arguments.drop { $0 != "--rounds" }.dropFirst().first.flatMap { Int($0) } ?? 3
    try sideBySide(rounds: max(1, rounds), budget: budget, json: arguments.contains("--json"))
} else {
    try benchmark(budget: budget)
}
