import DataPrep
import Foundation

// Release-mode throughput of the decode paths, printed beside the Python peers' figures from
// ../shared/peers/RESULTS.md (same machine kind). Run: `swift run -c release bench [--runs N]`
// or scripts/bench.sh, which also re-runs the peers in the same sitting when their venv exists.

let arguments = CommandLine.arguments
let runs = arguments.firstIndex(of: "--runs").flatMap { Int(arguments[$0 + 1]) } ?? 5
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
let mnist = shared + "/mnist"
let photos = shared + "/dogs-vs-cats/train"

/// Median wall time in seconds of `runs` calls after one warm-up.
func median(_ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

struct Row {
    let name: String
    let ours: String
    let peer: String
    let ratio: String
}
/// Collected result rows (a class so free functions can append without global mutable state).
final class Rows: @unchecked Sendable { var all: [Row] = [] }
let rows = Rows()

func report(_ name: String, oursMs: Double, peerName: String, peerMs: Double) {
    rows.all.append(Row(name: name, ours: String(format: "%.1f ms", oursMs * 1000),
                    peer: String(format: "%@ %.1f ms", peerName, peerMs), ratio: String(format: "%.2fx time", oursMs * 1000 / peerMs)))
}

func report(_ name: String, oursRate: Double, peerName: String, peerRate: Double) {
    rows.all.append(Row(name: name, ours: String(format: "%.0f img/s", oursRate),
                    peer: String(format: "%@ %.0f img/s", peerName, peerRate), ratio: String(format: "%.2fx speed", oursRate / peerRate)))
}

/// MNIST's four IDX files -> float32 [0,1] images and int32 labels, files decoded in parallel.
func loadMNIST(_ folder: String, suffix: String, threads: Int) throws -> Int {
    let names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    let arrays = try Parallel.map(count: 4, threads: threads) { try IDXArray(contentsOf: folder + "/" + names[$0] + suffix) }
    var total = 0
    for index in [0, 2] {
        let pixels = arrays[index].uint8Values!
        let floats = PixelConversion.unitFloat(pixels, threads: threads)
        total += floats.count
    }
    return total
}

func benchMNIST() throws {
    guard FileManager.default.fileExists(atPath: mnist) else { print("skipping MNIST: \(mnist) not found"); return }
    for threads in [1, 2] {
        let t = try median { _ = try loadMNIST(mnist, suffix: ".gz", threads: threads) }
        report("MNIST .gz -> float32, \(threads) core(s)", oursMs: t, peerName: "numpy gzip.open", peerMs: threads == 1 ? 332.0 : 334.5)
    }
    let raw = NSTemporaryDirectory() + "bench-mnist-raw"
    try FileIO.makeDirectories(raw)
    for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
        try FileIO.writeAtomically(CompressedFile.read(mnist + "/" + name + ".gz"), to: raw + "/" + name)
    }
    for threads in [1, 2] {
        let t = try median { _ = try loadMNIST(raw, suffix: "", threads: threads) }
        report("MNIST raw IDX -> float32, \(threads) core(s)", oursMs: t, peerName: "numpy raw read", peerMs: threads == 1 ? 89.2 : 76.5)
    }
}

func benchPhotos() throws {
    guard FileManager.default.fileExists(atPath: photos) else { print("skipping photos: \(photos) not found"); return }
    let collection = try ImageCollection(folder: photos)
    for (w, h, color, label, peer1, peer2, peerName) in [
        (80, 80, ColorMode.gray, "1760 JPEG -> 80x80 gray float", 1157.0, 1756.0, "cv2 GRAYSCALE+resize"),
        (150, 150, ColorMode.rgb, "1760 JPEG -> 150x150 RGB float", 532.0, 595.0, "cv2 imread+resize"),
    ] {
        for threads in [1, 2] {
            var count = 0
            let t = try median {
                // Bilinear, as the peers (cv2.resize's default INTER_LINEAR, PIL BILINEAR) use.
                let (data, skipped) = try collection.load(.init(width: w, height: h, color: color, filter: .bilinear, threads: threads))
                let floats = PixelConversion.unitFloat(data.splits[0].data.pixels, threads: threads)
                count = data.splits[0].data.count
                precondition(skipped.isEmpty && floats.count == count * w * h * color.channels)
            }
            report("\(label), \(threads) core(s)", oursRate: Double(count) / t,
                   peerName: peerName + (threads == 1 ? " 1 core" : " 2 procs"), peerRate: threads == 1 ? peer1 : peer2)
        }
    }
}

if only == nil || only == "mnist" { try benchMNIST() }
if only == nil || only == "jpeg" { try benchPhotos() }

let widths = [rows.all.map(\.name.count).max() ?? 0, rows.all.map(\.ours.count).max() ?? 0, rows.all.map(\.peer.count).max() ?? 0]
func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
print(pad("benchmark (release, median of \(runs))", widths[0]) + "  " + pad("dataprep", widths[1]) + "  " + pad("peer (RESULTS.md)", widths[2]) + "  ratio")
for row in rows.all {
    print(pad(row.name, widths[0]) + "  " + pad(row.ours, widths[1]) + "  " + pad(row.peer, widths[2]) + "  " + row.ratio)
}

/// Where the JPEG pipeline's time goes, one core: read, decode (DCT-scaled), resize, float.
func breakdown() throws {
    guard FileManager.default.fileExists(atPath: photos) else { return }
    let collection = try ImageCollection(folder: photos)
    let items = collection.splits[0].items
    var files: [[UInt8]] = []
    let read = try median { files = try items.map { try collection.bytes(of: $0) } }
    for (w, h, color) in [(80, 80, ColorMode.gray), (150, 150, ColorMode.rgb)] {
        var images: [Image] = []
        let decode = try median {
            images = try files.map { try ImageFile.decode($0, name: "", color: color, minimumSize: (w, h)) }
        }
        var out = [UInt8](repeating: 0, count: w * h * color.channels)
        let resize = median {
            for image in images { out.withUnsafeMutableBufferPointer { image.resize(into: $0, width: w, height: h, filter: .bilinear) } }
        }
        let all = [UInt8](repeating: 1, count: items.count * w * h * color.channels)
        let convert = median { _ = PixelConversion.unitFloat(all) }
        print(String(format: "breakdown %dx%d %@ (1 core, %d files): read %.0f ms, decode %.0f ms, resize %.0f ms, float %.0f ms",
                     w, h, color.rawValue, items.count, read * 1000, decode * 1000, resize * 1000, convert * 1000))
    }
}
if only == "breakdown" { try breakdown() }
