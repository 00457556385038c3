import Foundation

/// One CIFAR-100 superclass and the fine classes it groups, from the official table
/// (`CIFARClassNames.fineToCoarse`, FORMATS.md §a).
public struct CIFARSuperclass: Equatable, Sendable {
    /// Coarse label, 0..<20.
    public let index: Int
    public let name: String
    /// Fine labels of its classes, ascending (the order they are appended in).
    public let fineLabels: [Int]

    public var fineNames: [String] { fineLabels.map { CIFARClassNames.cifar100Fine[$0] } }

    /// Parses `--superclass`: an index 0...19 or a name; case, spaces and hyphens versus
    /// underscores are forgiven ("non insect invertebrates" finds `non-insect_invertebrates`).
    public init(_ text: String) throws(MergeError) {
        let names = CIFARClassNames.cifar100Coarse
        let found: Int?
        if let number = Int(text) {
            found = names.indices.contains(number) ? number : nil
        } else {
            let wanted = Self.fold(text)
            found = names.firstIndex { Self.fold($0) == wanted }
        }
        guard let index = found else { throw .unknownSuperclass(given: text, valid: names) }
        self.index = index
        name = names[index]
        fineLabels = CIFARClassNames.fineToCoarse.indices.filter { CIFARClassNames.fineToCoarse[$0] == index }
    }

    /// The fine labels to merge: all of the superclass's, or the named subset (kept in fine-label
    /// order whatever order they were given in, so the new labels do not depend on typing order).
    public func selecting(_ names: [String]?) throws(MergeError) -> [Int] {
        guard let names, !names.isEmpty else { return fineLabels }
        let wanted = names.map(Self.fold)
        let unknown = zip(names, wanted).filter { _, folded in !fineNames.map(Self.fold).contains(folded) }.map(\.0)
        guard unknown.isEmpty else { throw .unknownClasses(given: unknown, superclass: name, valid: fineNames) }
        return fineLabels.filter { wanted.contains(Self.fold(CIFARClassNames.cifar100Fine[$0])) }
    }

    private static func fold(_ text: String) -> String {
        String(text.trimmingCharacters(in: .whitespaces).lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}
