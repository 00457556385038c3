internal import CFuzzDriver
#if canImport(Glibc)
import Glibc
#endif

/// The one rule every fuzz target checks: bad bytes may only produce the module's typed error,
/// and that error must name the input. A trap, a crash or a sanitizer report is a finding by
/// itself; this turns the quieter failure (an untyped error, or one that forgets the file
/// name) into a crash too, so libFuzzer saves the input.
public enum FuzzInput {
    /// What every target passes as the file name, so errors can be checked for it.
    public static let name = "fuzz-input"

    /// Copies libFuzzer's buffer into an array.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Runs `body`; returns 0 when it succeeds or throws an acceptable error, aborts otherwise.
    /// - Parameters:
    ///   - accept: whether the thrown error is the typed error this decoder promises.
    ///   - mustName: whether the error's description must contain `name`.
    public static func run(accept: (any Error) -> Bool, mustName: Bool = true, _ body: () throws -> Void) -> Int32 {
        do {
            try body()
        } catch {
            let text = String(describing: error)
            if !accept(error) { fail("untyped error \(type(of: error)): \(text)") }
            if mustName && !text.contains(name) { fail("error does not name the input: \(text)") }
        }
        return 0
    }

    /// Prints `message` to stderr and aborts, which libFuzzer reports as a crash.
    public static func fail(_ message: String) -> Never {
        let line = Array("fuzz invariant broken: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        abort()
    }
}

extension FuzzInput {
    /// Runs libFuzzer with `test` as the target; what each target's `<module>_main` calls.
    public static func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, test)
    }
}
