/* Walking the paths given on the command line into the list of documents to check. */
#ifndef QMS_DISCOVER_H
#define QMS_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include <qmslint/model.h>

#include "config.h"
#include "errors.h"

struct qms_input {
    char *fs_path;        /* path to open */
    char *display_path;   /* relative to the set root when under it, '/'-separated */
    enum qms_format format;
    /* added by cache (issue 11): the file as discovery stat'ed it (symlinks followed), so
       the cache does not stat it again; has_stat 0 when unknown */
    int has_stat;
    uint64_t size, ino, dev;
    int64_t mtime_ns, ctime_ns;
};

struct qms_skip {
    char *path;
    char *reason;         /* "unknown extension", "excluded by config", "symlink loop" ... */
};

struct qms_inputs {
    struct qms_input *docs; size_t n_docs;   /* sorted by display_path, no duplicates */
    struct qms_skip *skipped; size_t n_skipped;
    char *root;                              /* absolute set root */
};

/*
 * Walks `paths` (files or folders; none means "."), each folder in name order. Hidden
 * folders (.git, .venv ...) and node_modules are not entered; hidden files are ignored.
 * Symlinks to files are followed, symlinked folders are followed once (loops detected by
 * device/inode: "symlink loop"). Skipped with a reason (listed with --verbose): "unknown
 * extension", "excluded by config" (cfg->excludes, relative to cfg->root when the file is
 * under it), "office lock file" (~$x.docx, .~lock.x.odt#), "not a regular file", "broken
 * symlink", "same file as P" (hard links, symlinks to a document already in the set).
 * A path that does not exist is QMS_EIO with "PATH: no such file or directory".
 * `root` is the set root used for display paths; NULL: the deepest folder holding every
 * path. fs_path is the given path joined with the names below it (open this); display_path
 * is '/'-separated and relative to the root. `cfg` may be NULL. Not thread-safe (uses the
 * cwd for relative paths); call from the main thread.
 */
int qms_discover(struct qms_inputs *out, const char *const *paths, size_t n_paths,
                 const char *root, const struct qms_config *cfg, struct qms_err *err);
void qms_inputs_free(struct qms_inputs *in);

/* `path` made absolute against the working directory and normalized lexically ("." and ".."
 * segments, repeated slashes), as discovery does for the set root; malloc'd, NULL on failure. */
char *qms_discover_abs_path(const char *path);

#endif
