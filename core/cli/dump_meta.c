/* `qmslint dump`: the metadata record of the one document dumped, extracted as a run would
 * (rules/labels.yml and the config's `metadata:` section), without loading any plugin. */
#include "cli.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "doc.h"
#include "meta.h"

static int is_dir(const char *path)
{
    struct stat st;
    return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int qms_cli_dump_meta(struct qms_meta_opts **out, struct qms_doc *doc,
                      const struct qms_config *cfg, const struct qms_cli_opts *o)
{
    *out = NULL;
    /* the same search order as the engine's */
    const char *candidates[4] = {o->rules_dir, getenv("QMSLINT_RULES_DIR"),
                                 QMS_RULES_INSTALL_DIR, QMS_SOURCE_RULES_DIR};
    const char *rules_dir = NULL;
    for (int i = 0; i < 4 && !rules_dir; i++)
        if (is_dir(candidates[i]))
            rules_dir = candidates[i];
    if (!rules_dir)
        return 0; /* no vocabulary: the dump says "metadata none" */
    struct qms_meta_opts *opts = NULL;
    struct qms_err err = {{0}};
    if (qms_meta_opts_load(&opts, rules_dir, cfg ? cfg->metadata : NULL, &err) != 0)
        return qms_cli_fail("%s", err.msg[0] ? err.msg : "cannot load rules/labels.yml");
    const struct qms_meta *meta = NULL;
    if (qms_meta_extract(&meta, doc, qms_doc_arena(doc), opts, &err) == 0)
        doc->meta = meta;
    else if (o->verbose)
        fprintf(stderr, "qmslint: no metadata: %s\n", err.msg);
    /* canonical words in the record may point into the options: freed after the dump */
    *out = opts;
    return 0;
}
