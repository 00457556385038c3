import Augment
import DataPrep
import Foundation

// Release-mode augmentation throughput, one image per call, uint8 in -> uint8 out, one thread,
// on the same 256 dogs-vs-cats photos as ../shared/peers/augment.py (every 6th file, sorted,
// resized with area averaging), printed beside albumentations and torchvision v2 from
// ../shared/peers/RESULTS.md §3. Then the BatchLoader's samples/s with 1 and 2 worker threads.
// Run: swift run -c release augment-bench [--runs 3] [--only NAME] [--photos DIR] [--albu FILE]
//
// The machine is shared (2 cores, other builds): per-op rates are images per second of this
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which time-slicing by other processes does not
// inflate; the loader's rates are wall time, and each timed epoch is retried (up to 8 times)
// until the CPU used by other processes during it (/proc/stat minus our own) is <= 0.2 cores.
// `--albu FILE`: albumentations figures re-measured on this machine, JSON {"SIZE|TRANSFORM":
// images/s} (e.g. from a wrapper around ../shared/peers/augment.py using time.thread_time());
// without it the ratios are against RESULTS.md (a different CPU).

let arguments = CommandLine.arguments
let runs = arguments.firstIndex(of: "--runs").flatMap { Int(arguments[$0 + 1]) } ?? 3
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let photos = arguments.firstIndex(of: "--photos").map { arguments[$0 + 1] } ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/dogs-vs-cats/train").path

let albuFile = arguments.firstIndex(of: "--albu").map { arguments[$0 + 1] }
let measuredAlbu: [String: Double] = try albuFile.map {
    try JSONDecoder().decode([String: Double].self, from: Data(FileIO.read($0)))
} ?? [:]

guard FileIO.isDirectory(photos) else {
    print("augment-bench: skipped, no photos at \(photos)")
    exit(0)
}

/// The peers' 256 images at one size.
func loadImages(width: Int, height: Int, color: ColorMode) throws -> [Image] {
    let names = try FileIO.listDirectory(photos).filter { $0.hasSuffix(".jpg") }.sorted()
    let picked = stride(from: 0, to: names.count, by: max(1, names.count / 256)).prefix(256).map { names[$0] }
    return try Parallel.map(count: picked.count) { i in
        var image = try JPEG.decode(contentsOf: joinPath(photos, picked[i]))
        if color == .gray { image = image.grayscale() }
        return image.resized(width: width, height: height, filter: .area)
    }
}

func seconds(_ clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Busy jiffies of the whole machine (user nice system irq softirq steal), from /proc/stat.
func machineBusySeconds() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first
    else { return 0 }
    let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard v.count >= 8 else { return 0 }
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Cores used by other processes between two (wall, machine busy, our CPU) snapshots.
func backgroundCores(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
    max(0, ((b.1 - a.1) - (b.2 - a.2)) / max(1e-9, b.0 - a.0))
}
func snapshot() -> (Double, Double, Double) {
    (seconds(CLOCK_MONOTONIC), machineBusySeconds(), seconds(CLOCK_PROCESS_CPUTIME_ID))
}

/// Median images per CPU-second over `runs` timed passes (each >= ~0.3 s) after a warm-up pass.
func imagesPerSecond(_ images: [Image], _ pipeline: Pipeline) -> Double {
    let shape = images[0].shape
    let scratch = AugmentScratch(capacity: shape.byteCount)
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: shape.byteCount)
    defer { out.deallocate() }
    var checksum = 0
    func pass(_ epoch: Int) {
        for (i, image) in images.enumerated() {
            var generator = SeededGenerator(seed: 1, stream: StreamPurpose.augmentation, epoch: epoch, index: i)
            image.pixels.withUnsafeBufferPointer { src in
                pipeline.apply(src.baseAddress!, into: out, shape: shape, using: &generator, scratch: scratch)
            }
            checksum &+= Int(out[i % shape.byteCount])
        }
    }
    var start = seconds(CLOCK_THREAD_CPUTIME_ID)
    pass(0)
    let once = seconds(CLOCK_THREAD_CPUTIME_ID) - start
    let loops = max(1, Int((0.3 / max(once, 1e-6)).rounded(.up)))
    var rates: [Double] = []
    for run in 0..<runs {
        start = seconds(CLOCK_THREAD_CPUTIME_ID)
        for loop in 0..<loops { pass(1 + run * loops + loop) }
        rates.append(Double(images.count * loops) / (seconds(CLOCK_THREAD_CPUTIME_ID) - start))
    }
    if checksum == 42 { print("") }   // keeps the work observable
    return rates.sorted()[rates.count / 2]
}

let shearDegrees = 0.2 * 180 / Double.pi   // the peers' 0.2 rad
let constant = (fill: FillMode.constant, cval: UInt8(0))
let transforms: [(name: String, ops: [AugmentationOp])] = [
    ("hflip", [.horizontalFlip(HorizontalFlip(probability: 1))]),
    ("rotate ±40", [.rotation(Rotation(degrees: 40))]),
    ("shift 0.2", [.shift(Shift(width: 0.2, height: 0.2))]),
    ("zoom 0.2", [.zoom(Zoom(range: 0.2))]),
    ("shear 0.2", [.shear(Shear(degrees: shearDegrees))]),
    ("brightness/contrast 0.2", [.brightness(Brightness(lower: 0.8, upper: 1.2)), .contrast(Contrast(lower: 0.8, upper: 1.2))]),
    ("pad 4 + random crop", [.randomCrop(RandomCrop(padding: 4))]),
    ("cutout / erasing", [.cutout(Cutout(holes: 1, size: 0.5))]),
    ("gaussian noise", [.gaussianNoise(GaussianNoise(std: 0.1))]),
    ("Keras chain", [.rotation(Rotation(degrees: 40)), .shift(Shift(width: 0.2, height: 0.2)), .shear(Shear(degrees: shearDegrees)),
                     .zoom(Zoom(range: 0.2)), .horizontalFlip(HorizontalFlip())]),
]

// ../shared/peers/RESULTS.md §3: (albumentations, torchvision v2) images/s per size.
let peers: [String: [String: (albu: Double, tv2: Double)]] = [
    "80x80 gray": ["hflip": (48796, 17006), "rotate ±40": (3142, 1444), "shift 0.2": (3250, 1294), "zoom 0.2": (3199, 1359),
                   "shear 0.2": (3182, 1237), "brightness/contrast 0.2": (15855, 2926), "pad 4 + random crop": (15458, 6237),
                   "cutout / erasing": (4106, 4099), "gaussian noise": (5584, 3697), "Keras chain": (3037, 1096)],
    "150x150 RGB": ["hflip": (30668, 13243), "rotate ±40": (1570, 569), "shift 0.2": (1757, 547), "zoom 0.2": (1689, 527),
                    "shear 0.2": (1527, 566), "brightness/contrast 0.2": (10390, 1438), "pad 4 + random crop": (12004, 5718),
                    "cutout / erasing": (3876, 3263), "gaussian noise": (1362, 1100), "Keras chain": (1575, 525)],
    "32x32 RGB": ["hflip": (52622, 18319), "rotate ±40": (3763, 2178), "shift 0.2": (3711, 2070), "zoom 0.2": (3698, 2124),
                  "shear 0.2": (3763, 2098), "brightness/contrast 0.2": (17873, 2667), "pad 4 + random crop": (16930, 6849),
                  "cutout / erasing": (4164, 4383), "gaussian noise": (6273, 4523), "Keras chain": (3573, 1654)],
]

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
func rate(_ value: Double) -> String { String(format: "%.0f", value) }

let sizes: [(name: String, width: Int, height: Int, color: ColorMode)] = [
    ("80x80 gray", 80, 80, .gray), ("32x32 RGB", 32, 32, .rgb), ("150x150 RGB", 150, 150, .rgb),
]
print("Augmentation, images per CPU-second, 1 thread, uint8 -> uint8, bilinear, constant-0 fill, median of \(runs); "
      + "albu: \(albuFile ?? "RESULTS.md (other CPU)")")
print(pad("size", 12) + pad("transform", 25) + pad("ours", 9, right: true) + pad("albu", 9, right: true)
      + pad("x albu", 8, right: true) + pad("tv2", 8, right: true) + pad("x tv2", 8, right: true))
var datasets: [String: [Image]] = [:]
for size in sizes {
    let images = try loadImages(width: size.width, height: size.height, color: size.color)
    datasets[size.name] = images
    for transform in transforms where only == nil || transform.name.contains(only!) {
        let pipeline = Pipeline(transform.ops, fillMode: constant.fill, cval: constant.cval, interpolation: .bilinear)
        let ours = imagesPerSecond(images, pipeline)
        var peer = peers[size.name]![transform.name]!
        if let albu = measuredAlbu["\(size.name)|\(transform.name)"] { peer.albu = albu }
        print(pad(size.name, 12) + pad(transform.name, 25) + pad(rate(ours), 9, right: true) + pad(rate(peer.albu), 9, right: true)
              + pad(String(format: "%.1f", ours / peer.albu), 8, right: true) + pad(rate(peer.tv2), 8, right: true)
              + pad(String(format: "%.1f", ours / peer.tv2), 8, right: true))
    }
}

// The loader: Keras chain + float32 normalisation, batches of 32, 1 vs 2 worker threads.
print("")
print("BatchLoader, Keras chain + unit normalisation, batch 32, samples/s wall (median of \(runs) epochs of 2048 samples, "
      + "each retried until other processes used <= 0.2 cores; bg = the most they used in an accepted epoch)")
let chain = Pipeline(transforms.last!.ops, fillMode: .nearest)
for size in sizes where only == nil || only == "loader" {
    let images = datasets[size.name]!
    let count = 2048
    var pixels: [UInt8] = []
    pixels.reserveCapacity(count * images[0].pixels.count)
    for i in 0..<count { pixels += images[i % images.count].pixels }
    let dataset = ImageDataset(height: size.height, width: size.width, channels: size.color.channels, pixels: pixels,
                               labels: (0..<count).map { Int32($0 % 2) }, classNames: ["cat", "dog"])
    var line = pad(size.name, 12)
    var rates: [Int: Double] = [:]
    for threads in [1, 2] {
        var loader = BatchLoader(dataset: dataset, pipeline: chain, seed: 1, threads: threads)
        var epochRates: [Double] = []
        var worstBackground = 0.0
        for epoch in 0...runs {
            for attempt in 0..<8 {
                var seen = 0
                let before = snapshot()
                try loader.forEachBatch(epoch: epoch, batchSize: 32) { batch in seen += batch.count }
                let after = snapshot()
                let background = backgroundCores(before, after)
                if epoch == 0 { break }   // epoch 0 warms up
                if background <= 0.2 || attempt == 7 {
                    epochRates.append(Double(seen) / (after.0 - before.0))
                    worstBackground = max(worstBackground, background)
                    break
                }
                usleep(200_000)
            }
        }
        rates[threads] = epochRates.sorted()[epochRates.count / 2]
        line += pad("\(threads) thread\(threads == 1 ? "" : "s"): " + rate(rates[threads]!), 22, right: true)
            + String(format: " (bg %.2f)", worstBackground)
    }
    print(line + pad(String(format: "2 vs 1: %.2fx", rates[2]! / rates[1]!), 18, right: true))
}
