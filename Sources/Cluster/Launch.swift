/// Whether this process was started as one rank of an MPI job, read from the variables the
/// launchers set, and where to find the library.
public struct Launch: Equatable, Sendable {
    /// The library to dlopen: `DATAPREP_MPI_LIBRARY`, else Open MPI's soname.
    public var library: String

    /// Open MPI's ABI (Debian's libopenmpi3, Open MPI 3.x to 5.x).
    public static let defaultLibrary = "libmpi.so.40"

    /// Variables that only an MPI launcher sets: Open MPI's mpirun (`OMPI_COMM_WORLD_SIZE`),
    /// PMIx launchers such as `srun --mpi=pmix` and prterun (`PMIX_RANK`), PMI-1/2 launchers
    /// such as `srun --mpi=pmi2` (`PMI_RANK`, `PMI_SIZE`).
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"]

    /// The launch `environment` describes, or nil for a plain process (also when
    /// `DATAPREP_MPI=off`, which makes every rank run alone, as without MPI).
    public static func detect(_ environment: [String: String]) -> Launch? {
        if let switchValue = environment["DATAPREP_MPI"], ["off", "0", "no"].contains(switchValue.lowercased()) { return nil }
        guard launcherVariables.contains(where: { environment[$0] != nil }) else { return nil }
        let library = environment["DATAPREP_MPI_LIBRARY"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultLibrary
        return Launch(library: library)
    }
}
