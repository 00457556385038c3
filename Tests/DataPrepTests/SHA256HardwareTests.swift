import DataPrep
import Testing

/// The SHA-NI kernel and the portable loop must give the same digests: for the NIST vectors and
/// for random messages of every length around the block boundaries, fed in random pieces.
@Suite struct SHA256HardwareTests {
    @Test func bothImplementationsMatchNISTVectors() {
        // FIPS 180-4 examples (NIST CSRC "SHA256.pdf"): "abc" and the 448-bit two-block message.
        let vectors = [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (message, digest) in vectors {
            for implementation in [SHA256.Implementation.fastest, .portable] {
                var hasher = SHA256(implementation)
                hasher.update(Array(message.utf8))
                #expect(SHA256.hex(hasher.finalize()) == digest, "\(implementation) \(message)")
            }
        }
    }

    @Test func hardwareEqualsPortableOnRandomMessages() {
        if !SHA256.hardwareAvailable { print("note: this CPU has no SHA extensions; both paths are the portable one") }
        var generator = SeededGenerator(seed: 42)
        for length in Array(0...300) + [4095, 4096, 4097, 1 << 20] {
            let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var fast = SHA256(.fastest), portable = SHA256(.portable)
            var offset = 0
            while offset < length {  // random piece sizes exercise the carried partial block
                let piece = min(length - offset, 1 + generator.nextInt(below: 150))
                fast.update(Array(message[offset ..< offset + piece]))
                portable.update(Array(message[offset ..< offset + piece]))
                offset += piece
            }
            #expect(fast.finalize() == portable.finalize(), "length \(length)")
        }
    }
}
