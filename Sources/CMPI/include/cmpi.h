#ifndef CMPI_H
#define CMPI_H

#include <stddef.h>
#include <stdint.h>

/// Open MPI, loaded with dlopen at run time rather than linked: dataprep builds and runs on a
/// machine without MPI, and only a process started by mpirun/srun pays for (or needs) libmpi.
/// The handles are Open MPI's ABI (libmpi.so.40: MPI_Comm and MPI_Datatype are pointers to the
/// predefined objects `ompi_mpi_comm_world` and `ompi_mpi_byte`), so MPICH's libmpi.so.12,
/// whose handles are integers, is refused by `cmpi_load` rather than misused.
///
/// Every function returns the MPI error code (0 = MPI_SUCCESS), or -1 when the library is not
/// loaded. Only bytes travel: the Swift side packs its arrays, so no other datatype is needed.

/// Loads `path` (RTLD_NOW | RTLD_GLOBAL: Open MPI's plugins resolve libmpi's symbols through
/// the global namespace) and resolves the functions and handles. Returns 0, or -1 with a
/// message (dlerror's, or the missing symbol) in `error`.
int cmpi_load(const char *path, char *error, size_t error_length);

/// MPI_Init_thread with MPI_THREAD_FUNNELED (worker threads never call MPI); `provided` gets
/// the level the library grants.
int cmpi_init(int *provided);
int cmpi_initialized(int *flag);
int cmpi_rank(int *rank);
int cmpi_size(int *size);
int cmpi_barrier(void);
/// MPI_Bcast of `count` bytes from `root` over MPI_COMM_WORLD.
int cmpi_bcast(void *buffer, int count, int root);
/// MPI_Allgather of `count` bytes from every rank into `receive` (size × count, rank order).
int cmpi_allgather(const void *send, int count, void *receive);
/// MPI_Gatherv of bytes to `root`: `counts` and `displacements` matter only at the root.
int cmpi_gatherv(const void *send, int count, void *receive, const int *counts, const int *displacements, int root);
/// MPI_Allgatherv of bytes.
int cmpi_allgatherv(const void *send, int count, void *receive, const int *counts, const int *displacements);
/// MPI_Abort(MPI_COMM_WORLD, code): the launcher ends every rank.
/// MPI_Alltoallv over bytes: `send_counts[r]` bytes at `send_displacements[r]` go to rank r;
/// rank r's arrive at `receive_displacements[r]`.
int cmpi_alltoallv(const void *send, const int *send_counts, const int *send_displacements,
                   void *receive, const int *receive_counts, const int *receive_displacements);
int cmpi_abort(int code);
int cmpi_finalize(void);
/// MPI_Error_string into `text`; returns its length (0 when unavailable).
int cmpi_error_string(int code, char *text, size_t length);

#endif
