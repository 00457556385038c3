internal import CCrypto

/// One streaming OpenSSL EVP digest (libcrypto), the engine behind `SHA256` and `MD5`.
///
/// Why libcrypto: it picks the fastest code for the CPU it runs on (SHA-NI, AVX2, ARMv8 crypto
/// extensions, …) and is fuzzed and audited far beyond anything we would maintain ourselves.
/// The algorithm is fetched once per process (`EVP_MD_fetch`), not per hasher: OpenSSL 3's
/// implicit fetch inside `EVP_DigestInit_ex(ctx, EVP_sha256(), nil)` costs a lock and a
/// lookup on every call, which the split pays 50k times for its per-sample digests.
///
/// A value type over one `EVP_MD_CTX`: copying a hasher and feeding both copies works (the
/// context is duplicated with `EVP_MD_CTX_copy_ex` on the first write to a shared one).
struct EVPDigest: Sendable {
    enum Algorithm: Sendable {
        case sha256, md5

        var byteCount: Int { self == .sha256 ? 32 : 16 }

        /// The fetched implementation; nil only when libcrypto has no such digest (a FIPS-only
        /// build without MD5), which `Context.init` reports by name.
        fileprivate var method: FetchedMethod? {
            switch self {
            case .sha256: return FetchedMethod.sha256
            case .md5: return FetchedMethod.md5
            }
        }

        fileprivate var name: String { self == .sha256 ? "SHA256" : "MD5" }
    }

    private var context: Context

    init(_ algorithm: Algorithm) {
        context = Context(algorithm)
    }

    /// Feeds `bytes` into the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = Context(copying: context) }
        guard EVP_DigestUpdate(context.pointer, bytes.baseAddress, bytes.count) == 1 else {
            preconditionFailure("EVP_DigestUpdate failed for \(context.algorithm.name) (libcrypto out of memory?)")
        }
    }

    /// The digest of everything fed so far. Call once; the hasher is spent after.
    mutating func finalize() -> [UInt8] {
        if !isKnownUniquelyReferenced(&context) { context = Context(copying: context) }
        let count = context.algorithm.byteCount
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(context.pointer, buffer.baseAddress, &length) == 1, Int(length) == count else {
                preconditionFailure("EVP_DigestFinal_ex failed for \(context.algorithm.name)")
            }
            initialized = count
        }
    }

    /// The digest of `bytes` written to `out` (`algorithm.byteCount` bytes), with no hasher
    /// value and no array: one `EVP_Digest` call, for the per-sample digests of a split.
    static func hash(_ algorithm: Algorithm, _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) {
        guard let method = algorithm.method else { preconditionFailure("libcrypto has no \(algorithm.name) digest") }
        var length: UInt32 = 0
        guard EVP_Digest(bytes.baseAddress, bytes.count, out.assumingMemoryBound(to: UInt8.self), &length, method.pointer, nil) == 1,
              Int(length) == algorithm.byteCount else {
            preconditionFailure("EVP_Digest failed for \(algorithm.name)")
        }
    }

    /// The `EVP_MD_CTX`, freed with its last reference.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer
        let algorithm: Algorithm

        init(_ algorithm: Algorithm) {
            guard let method = algorithm.method else { preconditionFailure("libcrypto has no \(algorithm.name) digest") }
            guard let pointer = EVP_MD_CTX_new(), EVP_DigestInit_ex(pointer, method.pointer, nil) == 1 else {
                preconditionFailure("EVP_DigestInit_ex failed for \(algorithm.name)")
            }
            self.pointer = pointer
            self.algorithm = algorithm
        }

        init(copying other: Context) {
            guard let pointer = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(pointer, other.pointer) == 1 else {
                preconditionFailure("EVP_MD_CTX_copy_ex failed for \(other.algorithm.name)")
            }
            self.pointer = pointer
            algorithm = other.algorithm
        }

        deinit { EVP_MD_CTX_free(pointer) }
    }
}

/// An `EVP_MD` fetched once from the default provider and kept for the life of the process
/// (read-only after the fetch, so sharing it between threads is what OpenSSL intends).
private struct FetchedMethod: @unchecked Sendable {
    let pointer: OpaquePointer

    static let sha256 = FetchedMethod(fetching: "SHA256")
    static let md5 = FetchedMethod(fetching: "MD5")

    private init?(fetching name: String) {
        guard let pointer = EVP_MD_fetch(nil, name, nil) else { return nil }
        self.pointer = pointer
    }
}
