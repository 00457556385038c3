/// Names for the independent random streams derived from one root seed (see
/// `SeededGenerator.init(seed:stream:epoch:index:)`). Fixed numbers: changing one changes every
/// seeded output of the toolkit.
public enum StreamPurpose {
    /// Shuffling samples before a split.
    public static let split: UInt64 = 1
    /// Per-epoch shuffling of the training order in a batch loader.
    public static let epochOrder: UInt64 = 2
    /// Augmentation parameters of one (epoch, sample).
    public static let augmentation: UInt64 = 3
    /// Weight initialisation.
    public static let initialization: UInt64 = 4
    /// Dropout masks of one (step, layer).
    public static let dropout: UInt64 = 5
    /// Oversampling / undersampling when balancing classes.
    public static let balance: UInt64 = 6
    /// Choosing the samples `train` carves from the training split for validation (per class).
    public static let validationCarve: UInt64 = 7
    /// Picking a seed when the user gave none is *not* seeded: it uses the system generator.
}
