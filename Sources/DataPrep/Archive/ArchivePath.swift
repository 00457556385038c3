/// Member names made safe to use as relative paths, shared by the tar and zip readers.
///
/// An archive is untrusted input: a member named `../../.bashrc` or `/etc/passwd` ("zip slip")
/// escapes any folder it is extracted to. Readers run every name through `validate` and throw
/// rather than hand out a name that could escape, even to callers who only read bytes, because
/// those names end up in manifests and exports later.
public enum ArchivePath {
    /// The normalised form of `raw`: `.` and empty components dropped (`./a//b/` → `a/b`).
    ///
    /// Backslashes are not separators on this platform and are kept, but a `..` is refused
    /// whether it sits between `/` or `\`, so a Windows-made archive cannot traverse either.
    /// An archive's own root (`./`, as `tar -C dir .` writes) comes back as `.`.
    /// - Throws: `.unsafeArchiveEntry` for an empty name, a NUL byte, an absolute path (`/x`,
    ///   `\x`, `C:x`), or a `..` component.
    public static func validate(_ raw: String, archive: String) throws -> String {
        func refuse(_ reason: String) -> DataPrepError {
            .unsafeArchiveEntry(archive: archive, entry: raw, reason: reason)
        }
        guard !raw.isEmpty else { throw refuse("empty member name") }
        let bytes = Array(raw.utf8)
        if bytes.contains(0) { throw refuse("member name contains a NUL byte") }
        if bytes[0] == UInt8(ascii: "/") || bytes[0] == UInt8(ascii: "\\") {
            throw refuse("absolute path")
        }
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"), isASCIILetter(bytes[0]) {
            throw refuse("absolute path (drive letter)")
        }
        let separators: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "\\")]
        if bytes.split(whereSeparator: separators.contains).contains(where: { $0.elementsEqual("..".utf8) }) {
            throw refuse("path contains a '..' component that would escape the destination")
        }
        let kept = raw.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return kept.isEmpty ? "." : kept.joined(separator: "/")
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}
