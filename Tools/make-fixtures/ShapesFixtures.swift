import DataPrep

/// `Fixtures/shapes/`: a small learnable dataset in MNIST's folder layout (gzipped IDX, 28x28
/// gray, labels 0..9), so the README's demo can run the whole lab — split, train, evaluate,
/// explain — and show a model that actually learns, in seconds, without real data in the repo.
///
/// Each image is one of ten shapes drawn at a random centre (±4 px), size and brightness on a
/// noisy dark background; the class is the shape. Every value comes from the toolkit's
/// `SeededGenerator` seeded per image, so the bytes are fixed by this file and that generator.
enum ShapesFixtures {
    /// Label order: the class names listed in `Fixtures/README.md`.
    static let classNames = ["disc", "ring", "square", "frame", "triangle", "plus", "cross", "hbar", "vbar", "dots"]
    static let trainPerClass = 80
    static let testPerClass = 20

    static func write(into root: String) throws -> [String] {
        var out = FixtureWriter(root: root)
        for (prefix, perClass, seedBase) in [("train", trainPerClass, 1_000_000), ("t10k", testPerClass, 2_000_000)] {
            let count = perClass * classNames.count
            var pixels = [UInt8](repeating: 0, count: count * 28 * 28)
            var labels = [UInt8](repeating: 0, count: count)
            for i in 0..<count {
                // Labels cycle through a per-block permutation so classes are interleaved but balanced.
                var random = SeededGenerator(seed: UInt64(seedBase + i))
                let label = (i + i / classNames.count * 3) % classNames.count
                labels[i] = UInt8(label)
                draw(shape: label, into: &pixels, at: i * 784, random: &random)
            }
            try out.write("shapes/\(prefix)-images-idx3-ubyte.gz", Gzip.compress(IDXArray(shape: [count, 28, 28], storage: .uint8(pixels)).encoded()))
            try out.write("shapes/\(prefix)-labels-idx1-ubyte.gz", Gzip.compress(IDXArray(shape: [count], storage: .uint8(labels)).encoded()))
        }
        return out.written
    }

    /// One 28x28 image of `shape` at `offset`: a black background with 1-in-32 speckles of
    /// 0..127, the shape's pixels at one brightness 150..255 (noise kept sparse so the gzipped
    /// fixture stays small).
    static func draw(shape: Int, into pixels: inout [UInt8], at offset: Int, random: inout SeededGenerator) {
        let cx = 14 + random.nextInt(in: -4...4), cy = 14 + random.nextInt(in: -4...4)
        let size = random.nextInt(in: 5...8)
        let brightness = random.nextInt(in: 150...255)
        for y in 0..<28 {
            for x in 0..<28 {
                let dx = x - cx, dy = y - cy
                let on = covers(shape, dx: dx, dy: dy, size: size)
                let speckle = random.nextInt(in: 0...31) == 0
                let value = on ? brightness : (speckle ? random.nextInt(in: 0...127) : 0)
                pixels[offset + y * 28 + x] = UInt8(value)
            }
        }
    }

    /// Whether pixel offset `(dx, dy)` from the centre belongs to `shape` of half-size `size`.
    static func covers(_ shape: Int, dx: Int, dy: Int, size s: Int) -> Bool {
        let r2 = dx * dx + dy * dy
        switch shape {
        case 0: return r2 <= s * s                                               // disc
        case 1: return r2 <= s * s && r2 >= (s - 2) * (s - 2)                   // ring
        case 2: return abs(dx) <= s - 1 && abs(dy) <= s - 1                     // square
        case 3: return max(abs(dx), abs(dy)) <= s && max(abs(dx), abs(dy)) >= s - 1   // frame
        case 4: return dy >= -s && dy <= s && abs(dx) * 2 <= dy + s              // triangle, apex up
        case 5: return (abs(dx) <= 1 && abs(dy) <= s) || (abs(dy) <= 1 && abs(dx) <= s)   // plus
        case 6: return abs(abs(dx) - abs(dy)) <= 1 && abs(dx) <= s               // diagonal cross
        case 7: return abs(dy) <= 1 && abs(dx) <= s + 2                          // horizontal bar
        case 8: return abs(dx) <= 1 && abs(dy) <= s + 2                          // vertical bar
        default:                                                                 // two dots
            let ax = dx + s / 2 + 1, bx = dx - s / 2 - 1
            return ax * ax + dy * dy <= 5 || bx * bx + dy * dy <= 5
        }
    }
}
