/// The SHA-256 of each sample of one split (`LoadedDataset.sourceHashes`, the manifest's
/// `sha256` column): 32 raw bytes per sample in one buffer, in memory or in a mapped spill file.
///
/// Why: as 64-character hex `String`s the digests cost ~130 bytes of heap per sample; raw they
/// are 32, and none when the loader spills them beside the pixels (`SpillFile`). Hex text is
/// made only when an element is read, i.e. when a manifest row is written.
public struct SampleDigests: RandomAccessCollection, Equatable, Sendable {
    /// Bytes per digest.
    public static let size = SHA256.byteCount

    /// The digests end to end.
    public let storage: PixelStorage

    /// Digests stored back to back in `storage` (a multiple of 32 bytes).
    public init(storage: PixelStorage) {
        precondition(storage.count % Self.size == 0, "\(storage.count) digest bytes are not a multiple of \(Self.size)")
        self.storage = storage
    }

    /// No digests.
    public init() { self.init(storage: PixelStorage([])) }

    /// Digests parsed from lowercase or uppercase hex (digests read back from text); nil when
    /// any is not 64 hex digits.
    public init?(hex: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count * Self.size)
        for text in hex {
            guard HexDigits.isValid(text, byteCount: Self.size) else { return nil }
            let digits = Array(text.utf8)
            for k in stride(from: 0, to: digits.count, by: 2) {
                bytes.append(Self.nibble(digits[k]) << 4 | Self.nibble(digits[k + 1]))
            }
        }
        self.init(storage: PixelStorage(bytes))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count / Self.size }

    /// Digest `i` as 64 lowercase hex digits, made now.
    public subscript(i: Int) -> String { SHA256.hex(bytes(at: i)) }

    /// Digest `i`'s 32 bytes.
    public func bytes(at i: Int) -> [UInt8] {
        precondition(i >= 0 && i < count, "digest \(i) outside \(count) samples")
        return storage.copy((i * Self.size)..<((i + 1) * Self.size))
    }

    /// The digests at `indices`, in that order, in memory.
    public func gathering(_ indices: [Int]) -> SampleDigests {
        var out = [UInt8](repeating: 0, count: indices.count * Self.size)
        storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "digest \(i) outside \(count) samples")
                    (dst.baseAddress! + k * Self.size).update(from: src.baseAddress! + i * Self.size, count: Self.size)
                }
            }
        }
        return SampleDigests(storage: PixelStorage(out))
    }

    /// `parts` end to end: without a copy when they are consecutive windows of one spill file.
    public static func concatenating(_ parts: [SampleDigests]) -> SampleDigests {
        if parts.count == 1 { return parts[0] }
        let storages = parts.map(\.storage)
        return SampleDigests(storage: PixelStorage.contiguous(storages) ?? PixelStorage(storages.flatMap(\.bytes)))
    }

    public static func == (lhs: SampleDigests, rhs: SampleDigests) -> Bool { lhs.storage == rhs.storage }

    private static func nibble(_ digit: UInt8) -> UInt8 { digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10 }
}
