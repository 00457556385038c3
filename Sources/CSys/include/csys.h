#ifndef CSYS_H
#define CSYS_H

/// Atomically swaps two existing paths (Linux renameat2 RENAME_EXCHANGE), so a finished output
/// folder replaces an older one without a moment where neither exists. Returns 0, or -1 with
/// errno set (EINVAL / ENOSYS where the file system or kernel cannot exchange).
int csys_rename_exchange(const char *from, const char *to);

#endif
