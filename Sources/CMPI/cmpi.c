#include "cmpi.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// MPI's signatures with its handles as plain pointers, which is what Open MPI's are.
typedef void *handle;
static struct {
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*comm_rank)(handle, int *);
    int (*comm_size)(handle, int *);
    int (*barrier)(handle);
    int (*bcast)(void *, int, handle, int, handle);
    int (*allgather)(const void *, int, handle, void *, int, handle, handle);
    int (*gatherv)(const void *, int, handle, void *, const int *, const int *, handle, int, handle);
    int (*allgatherv)(const void *, int, handle, void *, const int *, const int *, handle, handle);
    int (*alltoallv)(const void *, const int *, const int *, handle, void *, const int *, const int *, handle, handle);
    int (*abort)(handle, int);
    int (*finalize)(void);
    int (*error_string)(int, char *, int *);
    handle world;
    handle byte;
} mpi;
static int loaded = 0;

// Open MPI's MPI_THREAD_FUNNELED (mpi.h: MPI_THREAD_SINGLE 0, FUNNELED 1).
enum { THREAD_FUNNELED = 1 };
// Open MPI's MPI_MAX_ERROR_STRING.
enum { MAX_ERROR_STRING = 256 };

static int resolve(void *library, const char *name, void **slot, char *error, size_t length) {
    *slot = dlsym(library, name);
    if (*slot) return 0;
    snprintf(error, length, "the MPI library has no symbol %s (dataprep needs Open MPI's libmpi.so.40 ABI)", name);
    return -1;
}

int cmpi_load(const char *path, char *error, size_t error_length) {
    if (loaded) return 0;
    void *library = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *why = dlerror();
        snprintf(error, error_length, "%s", why ? why : "dlopen failed");
        return -1;
    }
    struct { const char *name; void **slot; } symbols[] = {
        {"MPI_Init_thread", (void **)&mpi.init_thread},
        {"MPI_Initialized", (void **)&mpi.initialized},
        {"MPI_Comm_rank", (void **)&mpi.comm_rank},
        {"MPI_Comm_size", (void **)&mpi.comm_size},
        {"MPI_Barrier", (void **)&mpi.barrier},
        {"MPI_Bcast", (void **)&mpi.bcast},
        {"MPI_Allgather", (void **)&mpi.allgather},
        {"MPI_Gatherv", (void **)&mpi.gatherv},
        {"MPI_Allgatherv", (void **)&mpi.allgatherv},
        {"MPI_Alltoallv", (void **)&mpi.alltoallv},
        {"MPI_Abort", (void **)&mpi.abort},
        {"MPI_Finalize", (void **)&mpi.finalize},
        {"MPI_Error_string", (void **)&mpi.error_string},
        // The predefined objects themselves: their addresses are MPI_COMM_WORLD and MPI_BYTE.
        {"ompi_mpi_comm_world", &mpi.world},
        {"ompi_mpi_byte", &mpi.byte},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        if (resolve(library, symbols[i].name, symbols[i].slot, error, error_length) != 0) {
            dlclose(library);
            memset(&mpi, 0, sizeof mpi);
            return -1;
        }
    }
    loaded = 1;
    return 0;
}

int cmpi_init(int *provided) { return loaded ? mpi.init_thread(NULL, NULL, THREAD_FUNNELED, provided) : -1; }
int cmpi_initialized(int *flag) { return loaded ? mpi.initialized(flag) : -1; }
int cmpi_rank(int *rank) { return loaded ? mpi.comm_rank(mpi.world, rank) : -1; }
int cmpi_size(int *size) { return loaded ? mpi.comm_size(mpi.world, size) : -1; }
int cmpi_barrier(void) { return loaded ? mpi.barrier(mpi.world) : -1; }

int cmpi_bcast(void *buffer, int count, int root) {
    return loaded ? mpi.bcast(buffer, count, mpi.byte, root, mpi.world) : -1;
}

int cmpi_allgather(const void *send, int count, void *receive) {
    return loaded ? mpi.allgather(send, count, mpi.byte, receive, count, mpi.byte, mpi.world) : -1;
}

int cmpi_gatherv(const void *send, int count, void *receive, const int *counts, const int *displacements, int root) {
    return loaded ? mpi.gatherv(send, count, mpi.byte, receive, counts, displacements, mpi.byte, root, mpi.world) : -1;
}

int cmpi_allgatherv(const void *send, int count, void *receive, const int *counts, const int *displacements) {
    return loaded ? mpi.allgatherv(send, count, mpi.byte, receive, counts, displacements, mpi.byte, mpi.world) : -1;
}

int cmpi_alltoallv(const void *send, const int *send_counts, const int *send_displacements,
                   void *receive, const int *receive_counts, const int *receive_displacements) {
    return loaded ? mpi.alltoallv(send, send_counts, send_displacements, mpi.byte,
                                  receive, receive_counts, receive_displacements, mpi.byte, mpi.world) : -1;
}

int cmpi_abort(int code) { return loaded ? mpi.abort(mpi.world, code) : -1; }
int cmpi_finalize(void) { return loaded ? mpi.finalize() : -1; }

int cmpi_error_string(int code, char *text, size_t length) {
    if (!loaded || length < MAX_ERROR_STRING) return 0;
    int written = 0;
    if (mpi.error_string(code, text, &written) != 0) return 0;
    return written;
}
