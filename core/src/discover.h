/* Walking the paths given on the command line into the list of documents to check. */
#ifndef QMS_DISCOVER_H
#define QMS_DISCOVER_H

#include <stddef.h>

#include <qmslint/model.h>

#include "config.h"
#include "errors.h"

struct qms_input {
    char *fs_path;        /* path to open */
    char *display_path;   /* relative to the set root when under it, '/'-separated */
    enum qms_format format;
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
 * Walks `paths` (files or folders; none means "."). Hidden folders (.git, node_modules,
 * build*) are not entered; symlinks to files are followed, symlinked folders are followed
 * once (loops detected by device/inode). A path that does not exist is QMS_EIO with
 * "PATH: no such file or directory". `root` (absolute) is the set root used for display
 * paths; NULL: the common folder of the paths.
 */
int qms_discover(struct qms_inputs *out, const char *const *paths, size_t n_paths,
                 const char *root, const struct qms_config *cfg, struct qms_err *err);
void qms_inputs_free(struct qms_inputs *in);

#endif
