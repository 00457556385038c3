#ifndef CSYS_H
#define CSYS_H

/// Atomically swaps two existing paths (Linux renameat2 RENAME_EXCHANGE), so a finished output
/// folder replaces an older one without a moment where neither exists. Returns 0, or -1 with
/// errno set (EINVAL / ENOSYS where the file system or kernel cannot exchange).
int csys_rename_exchange(const char *from, const char *to);

/// Opens a new file in `directory` that has no name at all (Linux O_TMPFILE): it vanishes with
/// its last descriptor, and no kill can leave it behind, unlike mkstemp + unlink, which a
/// SIGKILL between the two leaves visible. Returns the descriptor, or -1 with errno set
/// (EOPNOTSUPP / EISDIR / EINVAL where the file system cannot).
int csys_open_unnamed(const char *directory);

#endif
