// `--side-by-side`: our training step and PyTorch's (torch_bench.py in the peers venv),
// interleaved round by round on this machine, so a ratio never mixes figures from two machines
// or two sittings. Each round runs, per preset and thread count, ours then PyTorch's; the table
// gives the median of each side and the median of the per-round ratios (each from a pair of
// runs seconds apart, so load that comes and goes cancels out more than in the medians).
import Foundation
import Train

/// torch_bench.py run as a subprocess in the peers venv (`PEERS_VENV`, default
/// `~/.cache/dataprep-peers/venv`, made by ../shared/peers/setup.sh).
struct TorchPeer {
    let python: String
    let script: String

    /// The venv's python with an importable torch, or why not.
    static func locate() -> Result<TorchPeer, PeerUnavailable> {
        let venv = ProcessInfo.processInfo.environment["PEERS_VENV"] ?? NSHomeDirectory() + "/.cache/dataprep-peers/venv"
        let python = venv + "/bin/python3"
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("torch_bench.py").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(PeerUnavailable(reason: "no peers venv at \(venv) (run ../shared/peers/setup.sh, or set PEERS_VENV)"))
        }
        guard FileManager.default.fileExists(atPath: script) else {
            return .failure(PeerUnavailable(reason: "torch_bench.py not found at \(script)"))
        }
        let check = run(python, ["-c", "import torch; print(torch.__version__)"], threads: 1)
        guard check.status == 0 else {
            return .failure(PeerUnavailable(reason: "torch does not import in \(venv): \(check.output.suffix(300))"))
        }
        return .success(TorchPeer(python: python, script: script))
    }

    /// PyTorch samples/s for torch_bench.py's `name` at `threads` threads (median of its 3 runs).
    func samplesPerSecond(_ name: String, threads: Int, seconds: Double) -> Result<Double, PeerUnavailable> {
        let result = Self.run(python, [script, String(threads), name, "--seconds", String(seconds)], threads: threads)
        // "torch cifar b32 thr1: 250 samples/s (runs 241, 250, 255)"
        guard result.status == 0, let line = result.output.split(separator: "\n").first(where: { $0.hasPrefix("torch \(name) ") }),
              let colon = line.firstIndex(of: ":"),
              let rate = line[line.index(after: colon)...].split(separator: " ").first.flatMap({ Double($0) }) else {
            return .failure(PeerUnavailable(reason: "torch_bench.py \(name) exited \(result.status): \(result.output.suffix(300))"))
        }
        return .success(rate)
    }

    /// Runs `executable` with OpenMP/MKL limited to `threads`; stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String], threads: Int) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = String(threads)
        environment["MKL_NUM_THREADS"] = String(threads)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

struct PeerUnavailable: Error { let reason: String }

/// The CPU named as /proc/cpuinfo names it: model name, family and model numbers.
func cpuName() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
        if line.isEmpty { break }  // first processor only
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
    }
    let name = fields["model name"] ?? "unknown CPU"
    guard let family = fields["cpu family"], let model = fields["model"] else { return name }
    return "\(name) (family \(family), model \(model))"
}

/// The 1-minute load average, to state how busy the machine was.
func loadAverage() -> Double? {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
}

func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let s = values.sorted(), mid = s.count / 2
    return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/// One preset at one thread count, over the rounds.
struct SideBySideRow: Codable {
    let model: String
    let batch: Int
    let threads: Int
    var dataprep: [Double] = []
    var dataprepCPUms: [Double] = []
    var torch: [Double] = []
    /// dataprep / PyTorch of the same round.
    var ratios: [Double] = []
}

struct SideBySideReport: Codable {
    let cpu: String
    let tuning: String
    let rounds: Int
    let secondsPerRun: Double
    var loadAverages: [Double] = []
    var torchSkipped: String?
    var rows: [SideBySideRow]
}

/// The torch_bench.py name of a preset.
func torchName(_ preset: ModelPreset) -> String {
    switch preset {
    case .fashionAlexnet: "alexnet"
    case .cifarCNN: "cifar"
    case .dogsCatsCNN: "dogs"
    case .mlp: "mlp"
    }
}

/// Progress lines go to stdout, or to stderr under `--json` (stdout is then the JSON alone).
func progress(_ line: String, json: Bool) {
    if json { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { print(line); fflush(nil) }
}

func sideBySide(rounds: Int, budget: Double, json: Bool) throws {
    let peer = TorchPeer.locate()
    var report = SideBySideReport(cpu: cpuName(), tuning: tuning.description, rounds: rounds, secondsPerRun: budget,
                                  rows: selectedCases.flatMap { c in threadCounts.map { SideBySideRow(model: c.preset.rawValue, batch: c.batch, threads: $0) } })
    if case .failure(let why) = peer {
        report.torchSkipped = why.reason
        progress("PyTorch skipped: \(why.reason)", json: json)
    }
    let roundsText = rounds == 1 ? "1 round" : "\(rounds) rounds"
    progress("Side by side on \(report.cpu); \(report.tuning); \(roundsText) of ~\(f(budget, 1)) s runs", json: json)
    for round in 1...rounds {
        if let load = loadAverage() { report.loadAverages.append(load) }
        var row = 0
        for c in selectedCases {
            for threads in threadCounts {
                let (rate, _, cpu) = try measureTraining(c, threads: threads, budget: budget)
                report.rows[row].dataprep.append(rate)
                report.rows[row].dataprepCPUms.append(cpu)
                var line = "round \(round) \(c.preset.rawValue) b\(c.batch) thr \(threads): dataprep \(f(rate)) samples/s (CPU \(f(cpu, 1)) ms/step)"
                if case .success(let torch) = peer {
                    switch torch.samplesPerSecond(torchName(c.preset), threads: threads, seconds: budget) {
                    case .success(let t):
                        report.rows[row].torch.append(t)
                        report.rows[row].ratios.append(rate / t)
                        line += ", PyTorch \(f(t)) samples/s, ratio \(f(rate / t, 2))x"
                    case .failure(let why):
                        line += ", PyTorch failed: \(why.reason)"
                    }
                }
                progress(line, json: json)
                row += 1
            }
        }
    }
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
        return
    }
    let loads = report.loadAverages.map { f($0, 1) }.joined(separator: ", ")
    print("\n### Training step, dataprep vs PyTorch \(report.torchSkipped == nil ? "" : "(PyTorch skipped) ")on \(report.cpu)")
    print("\(roundsText), interleaved, runs of ~\(f(budget, 1)) s (median of 3 each), 1-min load average at each round: \(loads). \(report.tuning).")
    print("Ratio: median over rounds of (dataprep / PyTorch) from the same round.\n")
    print("| model | batch | thr | dataprep samples/s | CPU ms/step | PyTorch samples/s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for r in report.rows {
        let d = median(r.dataprep).map { f($0) } ?? "-", cpu = median(r.dataprepCPUms).map { f($0, 1) } ?? "-"
        let t = median(r.torch).map { f($0) } ?? "-", ratio = median(r.ratios).map { f($0, 2) + "x" } ?? "-"
        print("| \(r.model) | \(r.batch) | \(r.threads) | \(d) | \(cpu) | \(t) | \(ratio) |")
    }
}
