import Foundation

/// One variant's settings in the order the grid gave them (`lr=0.01, filters=16`): the
/// folder name, the summary's columns and the report's settings all keep this order.
public struct SweepSettings: Codable, Equatable, Sendable {
    public struct Setting: Codable, Equatable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }
    public var values: [Setting]

    public init(_ values: [Setting]) { self.values = values }

    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }

    /// `NAME=VALUE,…` with every character a folder name should not hold replaced by `_`
    /// (`/`, spaces, quotes…); a whole model spec (`model=`) that is not a plain preset name
    /// is named by its position in the list (`model=spec2`), since spec text makes a poor path.
    func folderName(modelIndex: Int?) -> String {
        values.map { setting in
            if setting.name == SweepGrid.modelName, let modelIndex, !Self.isPlain(setting.value) {
                return "model=spec\(modelIndex + 1)"
            }
            return "\(setting.name)=\(Self.safe(setting.value))"
        }.joined(separator: ",")
    }

    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    static func safe(_ text: String) -> String {
        String(text.prefix(40).map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+".contains($0)) ? $0 : "_" })
    }
}

/// The variants a sweep trains: the cartesian product of its `--grid` axes (first axis
/// slowest) and of its `--variants` list, in that order.
public struct SweepGrid: Codable, Equatable, Sendable {
    /// The grid name that swaps the whole model spec (`--grid model=SPEC1;SPEC2`).
    public static let modelName = "model"

    public struct Axis: Codable, Equatable, Sendable {
        public var name: String
        public var values: [String]
    }
    public var axes: [Axis]
    /// `--variants`: each entry's settings (keys sorted, values as text), one more product axis.
    public var variants: [SweepSettings]

    public init(axes: [Axis] = [], variants: [SweepSettings] = []) {
        self.axes = axes
        self.variants = variants
    }

    /// Parses `--grid` texts: `NAME=V1,V2,…`, or `NAME=V1;V2;…` (always for `model=SPEC1;SPEC2`).
    public init(grids: [String], variants: [SweepSettings] = []) throws {
        var axes: [Axis] = []
        for grid in grids {
            let flag = "--grid \(grid)"
            guard let equals = grid.firstIndex(of: "=") else {
                throw SweepError.invalidGrid(flag: flag, reason: "expected NAME=V1,V2,… (NAME=V1;V2;… when values hold commas, model=SPEC1;SPEC2 for whole specs)")
            }
            let name = String(grid[..<equals]).trimmingCharacters(in: .whitespaces)
            try Self.checkName(name, flag: flag)
            guard !axes.contains(where: { $0.name == name }) else {
                throw SweepError.invalidGrid(flag: flag, reason: "\(name) is already swept by another --grid")
            }
            // Values are split at ';' when there is one (whole specs, and values holding commas
            // such as `zoom-range=0.8,1.2;0.9,1.1`), else at ','.
            let separator: Character = name == Self.modelName || grid.contains(";") ? ";" : ","
            let values = grid[grid.index(after: equals)...].split(separator: separator, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.contains(where: \.isEmpty) else {
                throw SweepError.invalidGrid(flag: flag, reason: "an empty value (values are separated by '\(separator)')")
            }
            guard Set(values).count == values.count else { throw SweepError.invalidGrid(flag: flag, reason: "a value is listed twice") }
            axes.append(Axis(name: name, values: values))
        }
        for entry in variants {
            for setting in entry.values where axes.contains(where: { $0.name == setting.name }) {
                throw SweepError.invalidGrid(flag: "--variants", reason: "\(setting.name) is also swept by --grid")
            }
        }
        self.init(axes: axes, variants: variants)
    }

    /// Reads `--variants FILE`: a JSON list of objects NAME → value (string, number or bool).
    public static func variants(fromJSON bytes: [UInt8], path: String) throws -> [SweepSettings] {
        let flag = "--variants \(path)"
        let list: [[String: Scalar]]
        do { list = try JSONDecoder().decode([[String: Scalar]].self, from: Data(bytes)) } catch {
            throw SweepError.invalidGrid(flag: flag, reason: "expected a JSON list of objects NAME → string, number or boolean")
        }
        return try list.enumerated().map { index, object in
            guard !object.isEmpty else { throw SweepError.invalidGrid(flag: flag, reason: "entry \(index + 1) is empty") }
            return SweepSettings(try object.keys.sorted().map { name in
                try checkName(name, flag: flag)
                return SweepSettings.Setting(name: name, value: object[name]!.text)
            })
        }
    }

    /// A JSON value of `--variants` as the text a flag would take (`16`, `0.001`, `true`).
    private struct Scalar: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let bool = try? value.decode(Bool.self) { text = bool ? "true" : "false" }
            else if let int = try? value.decode(Int.self) { text = String(int) }
            else if let double = try? value.decode(Double.self) { text = "\(double)" }
            else { text = try value.decode(String.self) }
        }
    }

    static func checkName(_ name: String, flag: String) throws {
        guard !name.isEmpty, name.first != "-", name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
            throw SweepError.invalidGrid(flag: flag, reason: "'\(name)' is not a name (a train option without its dashes, like lr or batch-size, or a {placeholder} of the model spec)")
        }
        guard name != "seed" else {
            throw SweepError.invalidGrid(flag: flag, reason: "seeds are swept with --repeat K (seed, seed+1, …)")
        }
        // The sweep sets these for every variant itself (and threads change no weight).
        guard !["threads", "out", "resume", "overwrite", "json", "no-progress"].contains(name) else {
            throw SweepError.invalidGrid(flag: flag, reason: "\(name) is the sweep's own option, not one to vary")
        }
    }

    /// Every combination: the axes' product (first axis slowest), times the `--variants` list.
    public var combinations: [SweepSettings] {
        var result: [[SweepSettings.Setting]] = [[]]
        for axis in axes {
            result = result.flatMap { prefix in axis.values.map { prefix + [SweepSettings.Setting(name: axis.name, value: $0)] } }
        }
        if !variants.isEmpty {
            result = result.flatMap { prefix in variants.map { prefix + $0.values } }
        }
        return result.map(SweepSettings.init)
    }
}
