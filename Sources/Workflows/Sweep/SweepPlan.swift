import DataPrep
import Train

/// One run of a sweep: its settings, seed, filled model spec and train options, and its folder.
public struct SweepVariant: @unchecked Sendable {
    /// The folder name under `DIR/runs` (`lr=0.01,filters=16`, plus `,seed=N` with `--repeat`).
    public let name: String
    /// The variant's name without the seed: the runs of one variant over `--repeat` seeds share it.
    public let group: String
    public let settings: SweepSettings
    public let seed: UInt64
    /// The model spec text with its placeholders filled.
    public let model: String
    /// The train options of a new run (seed set; output and threads are the sweep's to choose).
    public let options: TrainSessionOptions
}

/// Every variant of a sweep, checked before anything trains: each setting is a model
/// placeholder, the whole model (`model`), or a train option the caller's `trainOptions`
/// accepts, and each filled spec parses.
public struct SweepPlan: Sendable {
    public let variants: [SweepVariant]

    /// - Parameter trainOptions: the train options for a variant's settings that are not the
    ///   model's (empty for the shared options alone). Called once per setting alone first, so
    ///   that its error names the flag at fault.
    public init(model: String?, grid: SweepGrid, repeats: Int, seed: UInt64,
                trainOptions: (SweepSettings) throws -> TrainSessionOptions) throws {
        guard repeats >= 1 else { throw SweepError.invalidGrid(flag: "--repeat \(repeats)", reason: "must be at least 1") }
        let combinations = grid.combinations
        let modelList = grid.axes.first { $0.name == SweepGrid.modelName }?.values
        var variants: [SweepVariant] = [], names: [String: String] = [:]
        var checkedOptions: Set<String> = []
        for settings in combinations {
            let modelIndex = settings[SweepGrid.modelName].flatMap { modelList?.firstIndex(of: $0) }
            let group = settings.values.isEmpty ? "base" : settings.folderName(modelIndex: modelIndex)
            guard let modelText = settings[SweepGrid.modelName] ?? model else {
                throw SweepError.invalidSetting(variant: group, flag: "--model", reason: "no model: pass --model SPEC or --grid model=SPEC1;SPEC2")
            }
            let template = ModelTemplate(text: modelText)
            let placeholders = Set(template.placeholders)
            var fills: [String: String] = [:]
            var trainSettings: [SweepSettings.Setting] = []
            for setting in settings.values where setting.name != SweepGrid.modelName {
                if placeholders.contains(setting.name) { fills[setting.name] = setting.value } else { trainSettings.append(setting) }
            }
            let filled = try template.filled(with: fills, variant: group)
            do { _ = try ModelSpec.resolve(filled) } catch {
                let flag = placeholders.isEmpty ? "--model" : placeholders.sorted().map { "{\($0)}" }.joined(separator: " ")
                throw SweepError.invalidSetting(variant: group, flag: flag, reason: "\(error)")
            }
            for setting in trainSettings where checkedOptions.insert("\(setting.name)=\(setting.value)").inserted {
                do { _ = try trainOptions(SweepSettings([setting])) } catch {
                    throw SweepError.invalidSetting(variant: group, flag: "--\(setting.name) \(setting.value)", reason: Self.reason(error))
                }
            }
            let options: TrainSessionOptions
            do { options = try trainOptions(SweepSettings(trainSettings)) } catch {
                throw SweepError.invalidSetting(variant: group, flag: trainSettings.map { "--\($0.name) \($0.value)" }.joined(separator: " "),
                                                reason: Self.reason(error))
            }
            if let other = names[group] {
                throw SweepError.invalidGrid(flag: "--grid", reason: "variants \(other) and \(settings.values.map { "\($0.name)=\($0.value)" }.joined(separator: ",")) would share the folder \(group)")
            }
            names[group] = settings.values.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            for k in 0..<repeats {
                var seeded = options
                let variantSeed = seed &+ UInt64(k)
                seeded.seed = variantSeed
                let name = repeats == 1 ? group : (settings.values.isEmpty ? "" : group + ",") + "seed=\(variantSeed)"
                variants.append(SweepVariant(name: name, group: group, settings: settings, seed: variantSeed, model: filled, options: seeded))
            }
        }
        self.variants = variants
    }

    /// An error's message without a leading "Error: " (the argument parser's wording).
    private static func reason(_ error: any Error) -> String {
        let text = "\(error)".trimmingCharacters(in: .whitespacesAndNewlines)
        return text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    }
}
